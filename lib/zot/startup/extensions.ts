// zot's start-up rules for the extensions (pkg/cli/server/root.go: validateExtensionsConfig,
// validateMetricsConfig; pkg/extensions/config/events/decoder.go: SinkConfigDecoderHook).
import { goPathClean } from '../../go/path';
import { at, indexPath, present, Report, whereOf } from './report';
import { subPaths } from './storage';
import { DefaultedConfig, Extensions, ZotConfig } from './types';

/** Rules that run inside the decode: the events sink hook. */
export function checkDecodeHooks(c: ZotConfig, report: Report): void {
  const sinks = c.extensions?.events?.sinks ?? [];
  sinks.forEach((sink, i) => {
    if (!present(sink)) return;
    const field = at(sink, 'type', indexPath('extensions.events.sinks', i));
    // zot v2.1.14..v2.1.20 pkg/extensions/config/events/decoder.go: SinkConfigDecoderHook → IsSupportedSink (http, nats), during UnmarshalExact
    if (sink.type !== 'http' && sink.type !== 'nats') {
      report.error(
        field,
        sink.type,
        'is not an event sink type zot supports (http or nats): its decoder refuses the config ("event sink is not supported")',
      );
    }
  });
}

// zot v2.1.14..v2.1.20 pkg/cli/server/root.go: validateExtensionsConfig
export function validateExtensions(c: DefaultedConfig, report: Report): void {
  const ext = c.extensions;
  if (!present(ext)) return;
  if (present(ext.mgmt))
    report.warn(
      whereOf(ext.mgmt, 'extensions.mgmt'),
      undefined,
      'is redundant: zot ignores it and logs "mgmt extensions configuration option has been made redundant" (validateExtensionsConfig)',
    );
  if (present(ext.apikey))
    report.warn(
      whereOf(ext.apikey, 'extensions.apikey'),
      undefined,
      'is ignored: API keys are configured with http.auth.apikey (validateExtensionsConfig)',
    );
  validateMetricsPath(ext, report);
  const searchOn = present(ext.search) && ext.search.enable === true;
  if (present(ext.ui) && ext.ui.enable === true && !searchOn) {
    report.error(
      whereOf(ext.ui, 'extensions.ui'),
      undefined,
      'is enabled without extensions.search: zot refuses it ("failed to enable ui, search extension must be enabled", validateExtensionsConfig)',
    );
  }
  if (searchOn) validateCveStorage(c, ext, report);
}

/** zot v2.1.18 pkg/cli/server/root.go: validateMetricsConfig. */
function validateMetricsPath(ext: Extensions, report: Report): void {
  const prom = ext.metrics?.prometheus;
  if (!report.at('v2.1.18') || !present(prom)) return;
  const v = report.version;
  const field = at(prom, 'path', 'extensions.metrics.prometheus');
  const p = String(prom.path ?? '');
  if (p !== goPathClean(p))
    report.error(
      field,
      p,
      `is not a clean path (Go path.Clean gives '${goPathClean(p)}'): zot ${v} refuses it ("invalid metrics path", validateMetricsConfig)`,
    );
  else if (!p.startsWith('/'))
    report.error(
      field,
      p,
      `does not start with '/': zot ${v} refuses it ("metrics path must start with /", validateMetricsConfig)`,
    );
  else if (p === '/' || p === '/v2')
    report.error(
      field,
      p,
      `is '/' or '/v2': zot ${v} refuses it ("provided metrics path is disallowed", validateMetricsConfig)`,
    );
}

/** validateExtensionsConfig: CVE scanning (config.go: IsCveScanningEnabled, trivy is defaulted) is refused with remote storage. */
function validateCveStorage(c: DefaultedConfig, ext: Extensions, report: Report): void {
  const cve = ext.search?.cve;
  if (!present(cve)) return;
  const s = c.storage;
  const remote = [
    present(s.storageDriver) ? 'storage.storageDriver' : '',
    ...subPaths(s)
      .filter(([, sub]) => present(sub.storageDriver))
      .map(([, , where]) => `${where}.storageDriver`),
  ].filter(Boolean);
  if (remote.length)
    report.error(
      whereOf(cve, 'extensions.search.cve'),
      undefined,
      `turns CVE scanning on, which zot refuses with remote storage (${remote.join(', ')}): "failed to enable cve scanning due to incompatibility with remote storage, please disable cve" (validateExtensionsConfig)`,
    );
}
