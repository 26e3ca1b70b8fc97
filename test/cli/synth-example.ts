/**
 * Synthesizes one example the way `cdktf synth` runs an app (its own Node process, TypeScript
 * through tsx, whose stack traces name the .ts lines): `node --import tsx test/cli/synth-example.ts NAME OUTDIR`.
 */
import { synthExample } from '../../examples/synth-all';

const [name, outdir] = process.argv.slice(2);
// an example app that guards itself at synth would stop the violating one before it can be shown
process.env.KZ_RESIDENCY_GUARD = 'off';
synthExample(name, outdir);
