export * from '../../lib/tools/registry';
