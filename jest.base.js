/**
 * Shared jest settings. ts-jest only transpiles (isolatedModules through tsconfig.jest.json): the
 * type check is `tsc --noEmit`, run first by `npm test`. ts-jest rather than a native transformer
 * because the package registry reachable here serves no other-platform binaries, and a lock file
 * without them makes `npm ci` fail. `kz-residency` (as the examples import it) maps to the sources,
 * as tsconfig's `paths` do for the type check.
 */
module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.tsx?$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.jest.json' }] },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: {
    '^kz-residency$': '<rootDir>/index.ts',
    '^kz-residency/(.*)$': '<rootDir>/$1',
  },
};
