/** End-to-end suites that need root (network namespaces, real tunnel software). */
module.exports = {
  ...require('./jest.base'),
  roots: ['<rootDir>/test/e2e'],
  testTimeout: 120000,
};
