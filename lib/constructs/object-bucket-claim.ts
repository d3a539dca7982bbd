// An ObjectBucketClaim (objectbucket.io/v1alpha1): an in-cluster object store (Rook/Ceph RGW, NooBaa,
// any lib-bucket-provisioner provisioner) creates the registry's bucket and, next to the claim, a
// Secret and a ConfigMap of the claim's name; the Secret holds AWS_ACCESS_KEY_ID and
// AWS_SECRET_ACCESS_KEY (kube-object-storage/lib-bucket-provisioner pkg/provisioner/helpers.go:
// composeSecretName = the claim's name; pkg/apis/objectbucket.io/v1alpha1/objectbucket_types.go:
// AwsKeyField, AwsSecretField), which is what zot's S3 keys are read from. The spec fields are typed
// from the CRD of lib-bucket-provisioner (deploy/crds/objectbucket_v1alpha1_objectbucketclaim_crd.yaml:
// storageClassName required; bucketName, generateBucketName, additionalConfig) and validated when built.
// zot's config.json needs the bucket's name, so the claim names it (bucketName), never generateBucketName.
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { refuse } from '../core/error';
import { schemaErrors } from '../k8s/schema';

export const OBJECT_BUCKET_CLAIM_SCHEMA = {
  type: 'object',
  required: ['apiVersion', 'kind', 'metadata', 'spec'],
  properties: {
    apiVersion: { type: 'string', enum: ['objectbucket.io/v1alpha1'] },
    kind: { type: 'string', enum: ['ObjectBucketClaim'] },
    metadata: { type: 'object', required: ['name'], properties: { name: { type: 'string', minLength: 1 } } },
    spec: {
      type: 'object',
      required: ['storageClassName', 'bucketName'],
      properties: {
        storageClassName: { type: 'string', minLength: 1 },
        bucketName: { type: 'string', minLength: 3, maxLength: 63 },
        additionalConfig: { type: 'object', additionalProperties: { type: 'string' } },
      },
    },
  },
};

export interface ObjectBucketClaimOptions {
  /**
   * The claim's name: also the name of the Secret and ConfigMap the provisioner creates.
   * @default - '<release>-bucket'
   */
  readonly name?: string;
  /** The StorageClass of the bucket provisioner (e.g. Rook's 'ceph-bucket'). */
  readonly storageClassName: string;
  /**
   * Provisioner-specific settings (e.g. Rook's maxSize, maxObjects), as strings.
   * @default - none
   */
  readonly additionalConfig?: Record<string, string>;
}

export interface ObjectBucketClaimProps extends ObjectBucketClaimOptions {
  readonly name: string;
  /** The bucket zot's config names. */
  readonly bucketName: string;
}

/** The keys of the Secret a provisioner writes next to the claim (lib-bucket-provisioner objectbucket_types.go). */
export const OBC_ACCESS_KEY = 'AWS_ACCESS_KEY_ID';
export const OBC_SECRET_KEY = 'AWS_SECRET_ACCESS_KEY';

export class ObjectBucketClaim extends Construct {
  readonly name: string;
  /** The Secret the provisioner creates with the bucket's keys. */
  readonly secretName: string;
  readonly resource: ApiObject;

  constructor(scope: Construct, id: string, props: ObjectBucketClaimProps) {
    super(scope, id);
    this.name = props.name;
    this.secretName = props.name;
    const obj = {
      apiVersion: 'objectbucket.io/v1alpha1',
      kind: 'ObjectBucketClaim',
      metadata: { name: this.name },
      spec: {
        storageClassName: props.storageClassName,
        bucketName: props.bucketName,
        ...(props.additionalConfig ? { additionalConfig: props.additionalConfig } : {}),
      },
    };
    const errors = schemaErrors(JSON.parse(JSON.stringify(obj)), OBJECT_BUCKET_CLAIM_SCHEMA);
    if (errors.length)
      refuse(
        'objectBucketClaim',
        undefined,
        `is not an ObjectBucketClaim lib-bucket-provisioner accepts: ${errors.join('; ')}`,
      );
    this.resource = new ApiObject(this, 'Resource', obj);
  }
}
