/** Unit and integration suites; the root-only tunnel suites live in jest.e2e.config.js. */
module.exports = {
  ...require('./jest.base'),
  roots: ['<rootDir>/test'],
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/e2e/'],
  testTimeout: 60000,
};
