import { Construct } from 'constructs';
import * as source from '../../imports/source.toolkit.fluxcd.io';
import { refuse } from '../core/error';
import { checkBoolean, checkKnownKeys, checkObject, checkOneOf, checkString } from '../core/props';
import { ZOT_HELM_REPOSITORY_URL } from '../zot/chart';

export interface HelmRepositoryProps {
  /**
   * HelmRepository name.
   * @default 'zot'
   */
  readonly name?: string;
  /**
   * Namespace (Flux's own).
   * @default 'flux-system'
   */
  readonly namespace?: string;
  /**
   * Repository URL: `https://`, or `oci://` with type 'oci'.
   * @default ZOT_HELM_REPOSITORY_URL (lib/zot-chart.ts)
   */
  readonly url?: string;
  /**
   * Index refresh interval.
   * @default '1h'
   */
  readonly interval?: string;
  /**
   * 'oci' for an OCI registry of charts.
   * @default - a classic Helm repository (index.yaml)
   */
  readonly type?: 'default' | 'oci';
  /**
   * Allow a plain `http://` URL (chart index and charts travel unencrypted and unauthenticated).
   * @default false
   */
  readonly allowInsecureHttp?: boolean;
}

/** A Flux HelmRepository: where Flux fetches a chart from. */
export class HelmRepository extends Construct {
  readonly name: string;
  readonly namespace: string;
  readonly url: string;
  readonly resource: source.HelmRepository;

  constructor(scope: Construct, id: string, props: HelmRepositoryProps = {}) {
    super(scope, id);
    checkKnownKeys(checkObject(props, 'helmRepository'), '', [
      'name',
      'namespace',
      'url',
      'interval',
      'type',
      'allowInsecureHttp',
    ]);
    this.name = checkString(props.name, 'name', { nonEmpty: true }) ?? 'zot';
    this.namespace = checkString(props.namespace, 'namespace', { nonEmpty: true }) ?? 'flux-system';
    this.url = checkString(props.url, 'url', { nonEmpty: true }) ?? ZOT_HELM_REPOSITORY_URL;
    checkString(props.interval, 'interval', { nonEmpty: true });
    checkOneOf(props.type, 'type', ['default', 'oci'] as const);
    checkBoolean(props.allowInsecureHttp, 'allowInsecureHttp');
    checkUrl(this.url, props);
    this.resource = new source.HelmRepository(this, 'Resource', {
      metadata: { name: this.name, namespace: this.namespace },
      spec: {
        interval: props.interval ?? '1h',
        url: this.url,
        ...(props.type === 'oci' ? { type: source.HelmRepositorySpecType.OCI } : {}),
      },
    });
  }
}

function checkUrl(url: string, props: HelmRepositoryProps): void {
  const scheme = /^([a-z]+):\/\/./.exec(url)?.[1];
  if (scheme === 'https') {
    if (props.type === 'oci') refuse('url', url, "is https:// but type is 'oci' (an OCI repository needs oci://)");
    return;
  }
  if (scheme === 'oci') {
    if (props.type !== 'oci') refuse('type', undefined, `must be 'oci' for the oci:// url '${url}'`);
    return;
  }
  if (scheme === 'http') {
    if (props.allowInsecureHttp) return;
    refuse('url', url, 'is plain http; use https:// (or set allowInsecureHttp: true to accept unencrypted charts)');
  }
  refuse('url', url, 'does not start with https:// or oci://');
}
