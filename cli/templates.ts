/**
 * What \`kz-residency init\` writes: a starter sites registry, waivers file, settings file and the
 * CI workflow. The workflow is examples/github-actions/kz-residency.yml (a test keeps the two the
 * same); the others are starting points with example values to replace.
 */

export const SITES_YAML = `# The sites registry: the proof of location, reviewed like code. A resource's site is the site
# whose Kubernetes API endpoint equals the \`host\` of the provider it uses; a personal-data store
# on a cluster that is not registered here proves nothing and is denied.
# Replace the example endpoints with your clusters' (schema: kz-residency/policies/data/sites.schema.json).
sites:
  - id: kz-ala-1
    jurisdiction: KZ
    city: Almaty
    operator: Your Almaty data centre
    kubernetes:
      endpoints: ['https://k8s.ala.example.kz']
      region: kz-almaty
      zones: [kz-almaty-a, kz-almaty-b]
    storageClasses:
      - { name: ala-encrypted, encrypted: true }
    objectStorage: ['https://s3.ala.example.kz']
    logSinks: ['https://logs.ala.example.kz']
    captureHosts: ['app.example.kz']
  - id: kz-ast-1
    jurisdiction: KZ
    city: Astana
    operator: Your Astana data centre
    kubernetes:
      endpoints: ['https://k8s.ast.example.kz']
      region: kz-astana
      zones: [kz-astana-a, kz-astana-b]
    storageClasses:
      - { name: ast-encrypted, encrypted: true }
    objectStorage: ['https://s3.ast.example.kz']
    logSinks: ['https://logs.ast.example.kz']
`;

export const WAIVERS_YAML = `# Accepted exceptions: each names the rule, the resource (a construct path or plan address, or a
# glob), why, who approved it and when it expires. An expired waiver waives nothing; one that
# matches no finding is reported; one naming an unknown rule is refused.
# (schema: kz-residency/policies/data/waivers.schema.json)
waivers: []
#  - rule: KZ-AUD-003
#    resource: my-app-primary/*
#    reason: regulator access is being set up, ticket OPS-42
#    approved_by: dpo@example.kz
#    expires: 2027-03-31
`;

export const CONFIG_YAML = `# yaml-language-server: $schema=node_modules/kz-residency/dist/policies/data/config.schema.json
# Settings of \`kz-residency check\` (a flag on the command line overrides its key; paths are
# relative to this file).
inputs: cdktf.out
sites: sites.yaml
waivers: waivers.yaml
profile: audit-ready
# fail-on: high            # fail only on high or critical denials (default: any denial)
# baseline: baseline.json  # a previous --format json report: only new findings fail
# policy: policies         # the team's own Rego, beside the shipped rules
fail-on-unused-waivers: true
`;

export const WORKFLOW_YAML = `# kz-residency on pull requests: synthesize the cdktf app and check it against the Kazakhstan
# data-residency policies in one run that writes every report at once: annotations on the diff
# (at the lines of the app's code), SARIF for code scanning, the Markdown report as the job summary
# and as one pull-request comment, and the JSON report that later pull requests compare with, so
# that on a pull request only findings that are new since the base branch fail the job.
#
# Copy to .github/workflows/kz-residency.yml (\`npx kz-residency init\` writes it, with starter
# sites.yaml, waivers.yaml and .kz-residency.yaml) in a repository whose package.json has
# kz-residency as a devDependency and a cdktf app at the root (cdktf.json).
#
# The sites registry is reviewed input: the check reads KZ_SITES (the registry in this repository,
# changed only through review), never the sites.json the app writes into cdktf.out; where the app
# declares a site differently, that is a finding (KZ-REG-001).
#
# Two modes:
#   - synth (default): checks cdktf.out, every stack judged as one deployment.
#   - plan: set the repository variable KZ_RESIDENCY_PLAN=true when the runner can reach the
#     clusters (kubeconfig as a secret): each stack is planned with Terraform and the plans
#     (\`terraform show -json\`) are checked together, which also sees values known only at plan time.
#
# Exit statuses of \`kz-residency check\`: 0 nothing fails, 1 a finding fails the run (by default
# any new denial; see --fail-on), 2 the input, registry, waivers or arguments could not be used.
# The job fails on 1 and 2, after the reports have been uploaded and commented.
name: kz-residency

on:
  pull_request:
  push:
    branches: [main]

permissions:
  contents: read

concurrency:
  group: kz-residency-\${{ github.ref }}
  cancel-in-progress: true

jobs:
  residency:
    runs-on: ubuntu-latest
    permissions:
      contents: read
      actions: read # read the base branch's report (the baseline)
      security-events: write # upload SARIF to code scanning
      pull-requests: write # post the Markdown comment
    env:
      CHECKPOINT_DISABLE: '1' # cdktf: no version check
      KZ_SITES: sites.yaml # the reviewed sites registry
      KZ_WAIVERS: waivers.yaml # leave the file out to run without waivers
      KZ_PROFILE: audit-ready # law | audit-ready | ur832
    steps:
      - uses: actions/checkout@v6

      - uses: actions/setup-node@v6
        with:
          node-version: 22
          cache: npm

      - run: npm ci

      - name: Synthesize the cdktf app
        run: npx --no-install cdktf synth

      - name: Set up Terraform (plan mode)
        if: vars.KZ_RESIDENCY_PLAN == 'true'
        uses: hashicorp/setup-terraform@v4
        with:
          terraform_wrapper: false # keep \`terraform show -json\` output clean

      - name: Plan each stack and export the plan JSON (plan mode)
        if: vars.KZ_RESIDENCY_PLAN == 'true'
        env:
          KUBE_CONFIG_PATH: \${{ runner.temp }}/kubeconfig
          KUBECONFIG_CONTENT: \${{ secrets.KUBECONFIG }}
        run: |
          printf '%s' "$KUBECONFIG_CONTENT" > "$KUBE_CONFIG_PATH"
          mkdir -p plans
          for dir in cdktf.out/stacks/*/; do
            stack=$(basename "$dir")
            terraform -chdir="$dir" init -input=false
            terraform -chdir="$dir" plan -input=false -lock=false -out=tfplan
            terraform -chdir="$dir" show -json tfplan > "plans/$stack.json"
          done

      - name: Fetch the baseline (the base branch's last report)
        if: github.event_name == 'pull_request'
        env:
          GH_TOKEN: \${{ github.token }}
          BASE_REF: \${{ github.base_ref }}
        run: |
          run_id=$(gh run list --workflow "$GITHUB_WORKFLOW" --branch "$BASE_REF" --event push --status success \\
            --limit 1 --json databaseId --jq '.[0].databaseId // empty')
          if [ -n "$run_id" ] && gh run download "$run_id" --name kz-residency-report --dir baseline; then
            echo "baseline: run $run_id of $BASE_REF"
          else
            echo "no report of $BASE_REF yet: every finding counts as new"
          fi

      - name: Check data residency
        id: check
        env:
          KZ_PLAN: \${{ vars.KZ_RESIDENCY_PLAN }}
        run: |
          args=(--sites "$KZ_SITES" --profile "$KZ_PROFILE")
          if [ -f "$KZ_WAIVERS" ]; then args+=(--waivers "$KZ_WAIVERS"); fi
          if [ -f baseline/kz-residency.json ]; then args+=(--baseline baseline/kz-residency.json); fi
          if [ "$KZ_PLAN" = "true" ]; then targets=(plans/*.json); else targets=(cdktf.out); fi
          set +e
          # One run, every report: annotations on stdout, the Markdown also goes to the job summary.
          npx --no-install kz-residency check "\${targets[@]}" "\${args[@]}" \\
            --format github \\
            --format sarif=kz-residency.sarif \\
            --format markdown=kz-residency.md \\
            --format json=kz-residency.json
          echo "status=$?" >> "$GITHUB_OUTPUT"
          exit 0

      - name: Upload SARIF to code scanning
        if: always() && hashFiles('kz-residency.sarif') != ''
        uses: github/codeql-action/upload-sarif@v4
        with:
          sarif_file: kz-residency.sarif

      - name: Keep the report (the baseline of later pull requests)
        if: always() && github.event_name == 'push' && hashFiles('kz-residency.json') != ''
        uses: actions/upload-artifact@v7
        with:
          name: kz-residency-report
          path: kz-residency.json
          retention-days: 90

      - name: Comment on the pull request
        # Forks get a read-only token: the results are still in the job summary and code scanning.
        # --edit-last updates this workflow's previous comment (the last one by github-actions).
        if: >-
          always() && github.event_name == 'pull_request' &&
          github.event.pull_request.head.repo.full_name == github.repository &&
          hashFiles('kz-residency.md') != ''
        env:
          GH_TOKEN: \${{ github.token }}
          PR: \${{ github.event.pull_request.number }}
        run: gh pr comment "$PR" --edit-last --create-if-none --body-file kz-residency.md

      - name: Fail when the check fails
        if: steps.check.outputs.status != '0'
        env:
          STATUS: \${{ steps.check.outputs.status }}
        run: |
          if [ "$STATUS" = "2" ]; then echo "kz-residency could not check the change (see the step above)"; else
            echo "kz-residency denied the change (see the annotations, the comment or code scanning)"; fi
          exit 1
`;
