// Does zot start with this config.json? zot's own start-up rules, per zot version, read from zot's
// source at each tag v2.1.14..v2.1.20: pkg/cli/server/root.go (LoadConfiguration: the viper and
// mapstructure decode, applyDefaultValues, validateConfiguration and everything it calls),
// pkg/api/config/config.go, pkg/extensions/config/**, pkg/storage/storage.go (New). Every rule
// carries the version range it applies to and a one-line citation.
//
// errors: zot refuses to start (LoadConfiguration returns an error, or the controller's Init fails);
// warnings: zot starts but clamps, ignores, replaces or logs (and what it does instead).
//
// The decode is emulated in two steps, as zot does it:
//   1. viper v1.21.0 (viper.go: ReadInConfig, AllKeys, getSettings; util.go: insensitiviseMap):
//      map keys lower-cased at every depth, "::" splits a key (zot's key delimiter), nulls and empty
//      objects dropped (lists are kept whole) — lib/go/viper.ts;
//   2. mapstructure v2.5.0 with ErrorUnused and WeaklyTypedInput (viper.go: UnmarshalExact,
//      defaultDecoderConfig; mapstructure.go: decode*), the hooks StringToTimeDurationHookFunc,
//      zot's events SinkConfigDecoderHook and (v2.1.19) GCTimeWindowDecodeHook —
//      lib/go/mapstructure.ts (one value) and lib/zot/startup/decode.ts (zot's structs).
// Then applyDefaultValues (startup/defaults.ts) and the checks, by area (startup/validate.ts and the
// files it calls: authn, authz, storage, sync, extensions).
import { Problem, ZotFluxError } from '../core/error';
import { parseJsonWithin } from '../core/nesting';
import { loadYaml } from '../core/yaml';
import { resolveZotModel, ZOT_CONFIG_KEYS, ZOT_VERSIONS, ZotVersion } from './config-keys';
import { insensitivise, Plain, settle, ViperEvents } from '../go/viper';
import { decode } from './startup/decode';
import { applyDefaults } from './startup/defaults';
import { checkDecodeHooks } from './startup/extensions';
import { isPlain, Report } from './startup/report';
import { DefaultedConfig, ZotConfig } from './startup/types';
import { validate } from './startup/validate';

export {
  checkedZotVersion,
  isModelledZotVersion,
  modelledZotVersion,
  normalizeZotVersion,
  resolveZotModel,
  ZOT_MAIN,
} from './config-keys';
export type { ZotModel, ZotVersion } from './config-keys';
export { parseGCTimeWindow } from './startup/gc-window';
export type { DefaultedConfig, ZotConfig } from './startup/types';

/** The zot versions whose keys and start-up rules are modelled, oldest first. */
export const SUPPORTED_ZOT_VERSIONS: readonly ZotVersion[] = ZOT_VERSIONS;

/** What zot does with a config: refuses it (errors) or starts with changes or notes (warnings). */
export interface ZotStartup {
  readonly errors: Problem[];
  readonly warnings: Problem[];
}

// zot v2.1.14..v2.1.20 pkg/cli/server/root.go: LoadConfiguration uses viper.KeyDelimiter("::")
const ZOT_KEY_DELIMITER = '::';

/** What viper does with the keys, worded for zot's users. */
function viperEvents(report: Report): ViperEvents {
  return {
    // zot v2.1.14..v2.1.20 (viper v1.21.0 util.go: insensitiviseMap): the later write wins in Go map order
    collision: (path, first, lower) =>
      report.error(
        path,
        undefined,
        `collides with '${first}': zot lower-cases every key (viper), so both are '${lower}' and it keeps one of them at random (Go map order)`,
      ),
    // zot v2.1.14..v2.1.20 pkg/cli/server/root.go: LoadConfiguration uses viper.KeyDelimiter("::")
    delimited: (path, parts) =>
      report.warn(
        path,
        undefined,
        `holds '::', zot's key delimiter: viper reads it as the nested keys ${parts
          .map((p) => `'${p}'`)
          .join(' → ')}, and it wins over those keys written nested`,
      ),
    // a leaf and a map at the same path: Go's map order decides which AllKeys yields last
    leafAndMap: (path) =>
      report.error(
        path,
        undefined,
        "is both a value and a map of settings (written once nested, once with '::'): viper keeps one of them at random (Go map order)",
      ),
  };
}

/**
 * A config file's text as zot's viper reads it: JSON or YAML by the extension of `file`, JSON then YAML when there is
 * none. YAML is read by lib/core/yaml.ts loadYaml (nesting to MAX_NESTING, go-yaml's aliasing rule), JSON by
 * parseJsonWithin; every refusal is a ZotFluxError naming `file` (exit 1), never a parser's stack.
 */
export function parseZotConfigText(text: string, file: string): unknown {
  const ext = /\.[^./\\]*$/.exec(file)?.[0].toLowerCase() ?? '';
  const json = () => {
    try {
      return parseJsonWithin(text, file);
    } catch (e) {
      if (e instanceof SyntaxError)
        throw new ZotFluxError({ field: file, reason: `does not parse as JSON: ${e.message}` });
      throw e;
    }
  };
  if (ext === '.json') return json();
  if (ext === '.yaml' || ext === '.yml') return loadYaml(text, file);
  try {
    return json();
  } catch (e) {
    if (ZotFluxError.isZotFluxError(e) && !/does not parse as JSON/.test(e.message)) throw e;
    return loadYaml(text, file);
  }
}

/**
 * What zot v`zotVersion` does with `config` (parsed config.json) at start-up: the refusals (errors)
 * and what it clamps, ignores or logs (warnings). Throws ZotFluxError for a version with no model.
 */
export function verifyZotConfig(config: unknown, zotVersion: string): ZotStartup {
  const { errors, warnings } = loadZotConfig(config, zotVersion);
  return { errors, warnings };
}

/** The config as zot holds it after LoadConfiguration, when it starts (`config` undefined when it refuses). */
export interface LoadedZotConfig extends ZotStartup {
  /**
   * zot's Config after viper, mapstructure and applyDefaultValues, keyed by the names of zot's
   * structs (lib/zot/config-keys.ts): `http.auth.htpasswd.path`, `http.accessControl`. Undefined
   * when zot refuses the config.
   */
  // any, not DefaultedConfig: lib/checks/zot-release.ts reads `startup.config ?? {}` field by field (its owner's change)
  readonly config?: any;
}

/** Loads `config` the way zot v`zotVersion` does (pkg/cli/server/root.go LoadConfiguration): the settings it runs with, and what it refuses or warns about. */
export function loadZotConfig(config: unknown, zotVersion: string): LoadedZotConfig {
  const report = new Report(resolveZotModel(zotVersion));
  const done = (c?: DefaultedConfig): LoadedZotConfig => ({
    errors: report.errors,
    warnings: report.warnings,
    ...(c && report.errors.length === 0 ? { config: c } : {}),
  });
  if (report.model.note) report.warn('', undefined, report.model.note);
  const settings = viperSettings(config, report);
  if (!settings) return done();
  const c = zotStructs(settings.settled, report);
  checkDecodeHooks(c, report);
  // zot v2.1.14..v2.1.20 pkg/cli/server/root.go: LoadConfiguration returns the joined decode errors before any other check
  if (report.errors.length) return done();
  applyDefaults(c, settings, report);
  validate(c, report);
  return done(c);
}

/** Step 1: what viper reads (a JSON object) and the settings it hands on; undefined when zot refuses the config here. */
function viperSettings(config: unknown, report: Report): { lowered: Plain; settled: Plain } | undefined {
  if (!isPlain(config)) {
    // viper v1.21.0 viper.go: ReadInConfig → unmarshalReader decodes into map[string]any (zot: LoadConfiguration returns the error)
    report.error(
      '',
      config,
      'is not a JSON object: zot cannot read it as its config (viper ReadInConfig fails, zot exits)',
    );
    return undefined;
  }
  const events = viperEvents(report);
  const lowered = insensitivise(config, '', events);
  const settled = settle(isPlain(lowered) ? lowered : {}, '', ZOT_KEY_DELIMITER, events);
  // zot v2.1.14..v2.1.20 pkg/cli/server/root.go: LoadConfiguration: "the absence of any key:value pair"
  if (Object.keys(settled).length === 0) {
    report.error(
      '',
      config,
      'holds no key with a value: zot refuses it ("failed to load config due to the absence of any key:value pair", LoadConfiguration)',
    );
    return undefined;
  }
  return { lowered: isPlain(lowered) ? lowered : {}, settled };
}

/**
 * Step 2: the settings decoded into zot's Config. The decode follows the key tree (ZOT_CONFIG_KEYS),
 * whose types ZotConfig names, so the object it builds is a ZotConfig.
 */
function zotStructs(settled: Plain, report: Report): ZotConfig {
  const decoded = decode(ZOT_CONFIG_KEYS, settled, '', [], report);
  return isPlain(decoded) ? (decoded as ZotConfig) : {};
}
