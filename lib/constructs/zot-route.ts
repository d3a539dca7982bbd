import { Construct } from 'constructs';
import * as gateway from '../../imports/gateway.networking.k8s.io';
import { checkKnownKeys, checkObject, checkString, checkStringList } from '../core/props';
import { variableRef } from '../flux/variables';
import { ZotRelease } from './zot-release';

/** The dashboard (homer) annotations of the seed's route. */
export const SEED_ROUTE_ANNOTATIONS: Readonly<Record<string, string>> = {
  'item.homer.rajsingh.info/name': 'Zot Registry',
  'item.homer.rajsingh.info/subtitle': 'OCI Container Registry',
  'item.homer.rajsingh.info/logo': 'https://cdn.jsdelivr.net/gh/walkxcode/dashboard-icons/png/docker-moby.png',
  'item.homer.rajsingh.info/keywords': 'registry, oci, containers',
  'service.homer.rajsingh.info/name': 'Infrastructure',
  'service.homer.rajsingh.info/icon': 'fas fa-server',
};

export interface ZotRouteProps {
  /** The release whose Service (name and port) the route sends traffic to. */
  readonly release: ZotRelease;
  /**
   * HTTPRoute name.
   * @default - the release's name
   */
  readonly name?: string;
  /**
   * Hostnames served; Flux substitutes the variables in them on each cluster.
   * @default ['oci.${CLUSTER_DOMAIN}']
   */
  readonly hostnames?: string[];
  /**
   * Gateways the route attaches to.
   * @default ['ts', 'private', 'public']
   */
  readonly gateways?: string[];
  /**
   * Namespace of those Gateways.
   * @default 'home'
   */
  readonly gatewayNamespace?: string;
  /**
   * Route annotations.
   * @default SEED_ROUTE_ANNOTATIONS (the seed's dashboard entry)
   */
  readonly annotations?: Record<string, string>;
  /**
   * Request timeout through the Gateway (HTTPRoute `timeouts.request`, a Gateway API duration such as
   * '300s'): large blob pushes otherwise hit the Gateway's default timeout. Not every Gateway
   * implementation supports it (it is Extended support in Gateway API).
   * @default - the Gateway's default
   */
  readonly requestTimeout?: string;
}

/** The HTTPRoute that exposes a ZotRelease through the cluster's Gateways. */
export class ZotRoute extends Construct {
  readonly name: string;
  readonly hostnames: string[];
  readonly gateways: string[];
  readonly gatewayNamespace: string;
  readonly resource: gateway.HttpRoute;

  constructor(scope: Construct, id: string, props: ZotRouteProps) {
    super(scope, id);
    checkKnownKeys(checkObject(props, 'route') as Record<string, unknown>, '', [
      'release',
      'name',
      'hostnames',
      'gateways',
      'gatewayNamespace',
      'annotations',
      'requestTimeout',
    ]);
    this.name = checkString(props.name, 'name', { nonEmpty: true }) ?? props.release.name;
    this.hostnames = checkStringList(props.hostnames, 'hostnames', { nonEmpty: true, unique: true }) ?? [
      `oci.${variableRef('CLUSTER_DOMAIN')}`,
    ];
    this.gateways = checkStringList(props.gateways, 'gateways', { nonEmpty: true, unique: true }) ?? [
      'ts',
      'private',
      'public',
    ];
    this.gatewayNamespace = checkString(props.gatewayNamespace, 'gatewayNamespace', { nonEmpty: true }) ?? 'home';
    checkString(props.requestTimeout, 'requestTimeout', { nonEmpty: true });
    const given = checkObject(props.annotations, 'annotations');
    for (const [k, v] of Object.entries(given ?? {})) checkString(v, `annotations["${k}"]`);
    const annotations = props.annotations ?? { ...SEED_ROUTE_ANNOTATIONS };
    this.resource = new gateway.HttpRoute(this, 'Resource', {
      metadata: { name: this.name, ...(Object.keys(annotations).length ? { annotations } : {}) },
      spec: {
        parentRefs: this.gateways.map((name) => ({
          group: 'gateway.networking.k8s.io',
          kind: 'Gateway',
          name,
          namespace: this.gatewayNamespace,
        })),
        hostnames: this.hostnames,
        rules: [
          {
            backendRefs: [
              { group: '', kind: 'Service', name: props.release.serviceName, port: props.release.port, weight: 1 },
            ],
            matches: [{ path: { type: gateway.HttpRouteSpecRulesMatchesPathType.PATH_PREFIX, value: '/' } }],
            ...(props.requestTimeout ? { timeouts: { request: props.requestTimeout } } : {}),
          },
        ],
      },
    });
  }
}
