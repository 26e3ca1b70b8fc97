/**
 * kz-residency: constructs and stacks that keep Kazakh residents' personal data in Kazakhstan.
 * The root is the construct library a cdktf (or CDK Terrain) app imports (the same as the
 * `kz-residency/constructs` and `kz-residency/stacks` subpaths together); the plan loaders, the policy
 * engine and the command's programmatic `check` are the `kz-residency/plan`, `kz-residency/engine` and
 * `kz-residency/cli` subpaths.
 *
 * @packageDocumentation
 */
export * from './constructs';
export * from './stacks';
