import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'dist/**',
      'docs/api/**',
      'scripts/*.js',
      '**/cdktf.out/**',
      'bin/**',
      '*.config.js',
      'jest.base.js',
    ],
  },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/ban-ts-comment': 'error',
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@cdktf/provider-kubernetes',
              message: 'Import a submodule: @cdktf/provider-kubernetes/lib/<resource>',
            },
            {
              name: '@cdktf/provider-helm',
              message: 'Import a submodule: @cdktf/provider-helm/lib/<resource>',
            },
          ],
        },
      ],
    },
  },
);
