// Types of cli-manifest.mjs for the TypeScript tests that read it.
export declare const CLI_PACKAGE_FILES: string[];
export declare function cliManifest(root: Record<string, unknown>): {
  name: string;
  version: string;
  license: string;
  bin: Record<string, string>;
  files: string[];
  engines: { node: string };
  optionalDependencies: Record<string, string>;
  [key: string]: unknown;
};
