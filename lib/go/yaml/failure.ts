// The YAML library's own failure (go-yaml returns errors; here they are thrown and caught at the API).

/** A failure inside the YAML library: `message` is go-yaml's text without the "yaml: " prefix. */
export class YamlFailure {
  constructor(readonly message: string) {}
}

export function failf(message: string): never {
  throw new YamlFailure(message);
}
