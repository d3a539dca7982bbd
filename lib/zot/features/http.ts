// zot's HTTP read and write timeouts (`http.readTimeout`, `http.writeTimeout`, Go durations): the
// props, their version rule, the config.json keys and the README line, in one module.
import { refuse } from '../../core/error';
import { checkString, propKeys } from '../../core/props';
import { compareZotVersions, modelledZotVersion } from '../config-keys';
import type { FeatureOutput } from './common';
import { FeatureContext, FeatureReadme, ReadmeContext, ZotFeature } from './feature';

export interface ZotHttpProps {
  /**
   * zot's HTTP read timeout (`http.readTimeout`, a Go duration): how long a request body may take to
   * arrive. From zot v2.1.17 an unset timeout is 60 s, which cuts every layer push over a minute
   * (zot issues #4079, #4140); the seed repository's owners set 30m.
   * @default '30m' on zot ≥ v2.1.17; not set on older zot (it has no such key and no such limit)
   */
  readonly readTimeout?: string;
  /**
   * zot's HTTP write timeout (`http.writeTimeout`): how long a response may take to send, so a
   * large layer pull over a minute is cut at 60 s on zot ≥ v2.1.17 unless it is set.
   * @default '30m' on zot ≥ v2.1.17; not set on older zot
   */
  readonly writeTimeout?: string;
}

/** The HTTP read/write timeout set where zot would otherwise cut requests at 60 s (the seed repository's owners' value). */
export const DEFAULT_HTTP_TIMEOUT = '30m';

/**
 * Whether zot applies its 60 s HTTP read and write timeouts when http.readTimeout / writeTimeout are
 * unset: from v2.1.17 (zot v2.1.17 pkg/cli/server/root.go: applyDefaultValues, defaultReadTimeout and
 * defaultWriteTimeout = 60 * time.Second; pkg/api/controller.go: Run puts them on the http.Server).
 * Before v2.1.17 zot sets no read or write timeout (v2.1.16 pkg/api/controller.go: http.Server has
 * only IdleTimeout and ReadHeaderTimeout).
 */
export function zotHasDefaultTimeouts(zotVersion: string): boolean {
  return compareZotVersions(modelledZotVersion(zotVersion), 'v2.1.17') >= 0;
}

const TIMEOUTS = ['readTimeout', 'writeTimeout'] as const;

function checkTimeouts(props: ZotHttpProps, ctx: FeatureContext): void {
  const timeouts = zotHasDefaultTimeouts(ctx.zotVersion);
  for (const k of TIMEOUTS) {
    checkString(props[k], k, { nonEmpty: true });
    if (props[k] !== undefined && !timeouts)
      refuse(
        k,
        props[k],
        `needs zot v2.1.17 or later; this release deploys zot ${ctx.zotVersion}, which has no ${k} (and no 60 s limit to lift)`,
      );
  }
}

function timeoutsConfig(props: ZotHttpProps, ctx: FeatureContext): FeatureOutput {
  if (!zotHasDefaultTimeouts(ctx.zotVersion)) return {};
  return {
    config: {
      http: {
        readTimeout: props.readTimeout ?? DEFAULT_HTTP_TIMEOUT,
        writeTimeout: props.writeTimeout ?? DEFAULT_HTTP_TIMEOUT,
      },
    },
  };
}

function timeoutsReadme(_props: ZotHttpProps, ctx: ReadmeContext): FeatureReadme[] {
  const { readTimeout, writeTimeout } = ctx.config.http;
  if (typeof readTimeout !== 'string') return [];
  const write = typeof writeTimeout === 'string' ? writeTimeout : '';
  return [
    {
      section: 'HTTP',
      limits: [`zot reads a request for up to \`${readTimeout}\` and writes a response for up to \`${write}\``],
    },
  ];
}

export const httpTimeoutsFeature: ZotFeature<ZotHttpProps> = {
  name: 'http timeouts',
  props: propKeys<ZotHttpProps>({ readTimeout: true, writeTimeout: true }),
  check: checkTimeouts,
  build: timeoutsConfig,
  readme: timeoutsReadme,
};
