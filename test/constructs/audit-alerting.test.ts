import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import { parse as parseYaml } from 'yaml';
import {
  AuditTrail,
  auditAlertRules,
  workingSlotsUtc,
  type AlertRule,
  type AuditTrailAlerting,
  type RuleFile,
} from '../../constructs';
import { SHARED_PRESENT, almaty, at, frankfurt, helmValues, newStack, resourcesOf, synthDoc } from './fixtures';
import { chartSchemaValidator, unknownChartKeys } from './chart-values';
import { parseAlert, syntaxErrors, type LogLine } from './logql';

const ALERTING: AuditTrailAlerting = {
  dpoContact: 'dpo@example.kz',
  smtp: { smarthost: 'smtp.example.kz:587', from: 'kz-audit@example.kz', username: 'kz-audit', cidrs: ['10.20.60.25/32'] },
};

const validateRuleFile = new Ajv({ allErrors: true }).compile(
  JSON.parse(readFileSync(path.join(__dirname, 'schemas', 'rule-file.schema.json'), 'utf8')) as object,
);

describe('AuditTrail alerting: rules over the pgaudit stream, an Alertmanager that e-mails the DPO', () => {
  const { stack } = newStack();
  const audit = new AuditTrail(stack, 'Audit', { site: almaty, sourceNamespaces: ['clients', 'portal'], alerting: ALERTING });
  const doc = synthDoc(stack);
  const loki = helmValues(doc, 'loki')['audit-loki'];
  const am = helmValues(doc, 'alertmanager')['audit-alertmanager'];
  const [, rulesMap] = resourcesOf(doc, 'kubernetes_config_map_v1').find(([, c]) => at(c, 'metadata', 'name') === 'audit-alert-rules') ?? [];
  const ruleFile = parseYaml(String(Object.values(at(rulesMap, 'data') as Record<string, string>)[0])) as RuleFile;

  test('the rule file Loki loads is a valid Prometheus-format rule file, and what the construct says it renders', () => {
    expect(validateRuleFile(ruleFile) ? [] : validateRuleFile.errors).toEqual([]);
    expect(ruleFile).toEqual(audit.alerting?.rules);
    expect(ruleFile.groups[0].rules.map((r) => r.alert)).toEqual([
      'KzAuditMassRead',
      'KzAuditReadByUnexpectedRole',
      'KzAuditAccessOutsideWorkingHours',
      'KzAuditRegulatorRoleUsed',
    ]);
    for (const r of ruleFile.groups[0].rules) expect([r.alert, syntaxErrors(r.expr)]).toEqual([r.alert, []]);
  });

  test("Loki's ruler reads the rules from the mounted ConfigMap, in the tenant's directory, and sends to the Alertmanager", () => {
    expect(at(loki, 'loki', 'rulerConfig')).toEqual({
      storage: { type: 'local', local: { directory: '/etc/loki/rules' } },
      rule_path: '/var/loki/ruler-scratch',
      alertmanager_url: 'http://audit-alertmanager.audit.svc.cluster.local:9093',
      enable_api: false,
    });
    expect(at(loki, 'singleBinary', 'extraVolumes')).toContainEqual({ name: 'audit-alert-rules', configMap: { name: 'audit-alert-rules' } });
    expect(at(loki, 'singleBinary', 'extraVolumeMounts')).toContainEqual({ name: 'audit-alert-rules', mountPath: '/etc/loki/rules/kz-audit', readOnly: true });
    expect(at(rulesMap, 'metadata', 'namespace')).toBe('audit');
  });

  test('the Alertmanager routes every alert to the DPO by e-mail, its SMTP password read from a Secret file', () => {
    expect(at(am, 'fullnameOverride')).toBe('audit-alertmanager');
    expect(at(am, 'config', 'route', 'receiver')).toBe('dpo');
    expect(at(am, 'config', 'receivers')).toEqual([
      { name: 'dpo', email_configs: [expect.objectContaining({ to: 'dpo@example.kz', send_resolved: true })] },
    ]);
    expect(at(am, 'config', 'global')).toEqual({
      smtp_smarthost: 'smtp.example.kz:587',
      smtp_from: 'kz-audit@example.kz',
      smtp_require_tls: true,
      smtp_auth_username: 'kz-audit',
      smtp_auth_password_file: '/etc/alertmanager-smtp/password',
    });
    expect(JSON.stringify(am)).not.toMatch(/smtp_auth_password"/);
    expect(at(am, 'extraSecretMounts')).toEqual([
      { name: 'smtp-credentials', mountPath: '/etc/alertmanager-smtp', subPath: '', secretName: 'audit-smtp-credentials', readOnly: true },
    ]);
    expect(at(am, 'persistence')).toEqual({ enabled: true, storageClass: 'ala-ceph-encrypted', size: '50Mi' });
    expect(audit.prerequisites).toContainEqual(
      expect.objectContaining({ kind: 'secret', name: 'audit-smtp-credentials', namespace: 'audit', keys: ['password'] }),
    );
  });

  test("the audit namespace's only way out besides DNS and the API server is the SMTP relay", () => {
    expect(audit.egress?.exits).toEqual(['dns', 'namespace', 'api-server', 'ip:SMTP relay smtp.example.kz:587']);
    const [, policy] = resourcesOf(doc, 'kubernetes_network_policy_v1').find(([, p]) => at(p, 'metadata', 'namespace') === 'audit') ?? [];
    expect(at(policy, 'spec', 'egress')).toContainEqual({ to: [{ ip_block: { cidr: '10.20.60.25/32' } }], ports: [{ port: '587', protocol: 'TCP' }] });
  });

  test('Loki values with the ruler stay valid for the pinned chart (6.55.0 schema and defaults)', () => {
    if (!SHARED_PRESENT) {
      console.warn('skipped: /work/shared/charts is absent');
      return;
    }
    const schema = chartSchemaValidator('loki');
    expect(schema?.(loki) ? [] : schema?.errors).toEqual([]);
    // loki.rulerConfig is copied verbatim into Loki's ruler configuration (templates/_helpers.tpl)
    const passThrough = ['residency', 'loki.storage.bucketNames', 'loki.limits_config.retention_period', 'loki.limits_config.deletion_mode', 'loki.rulerConfig', 'gateway.ingress.hosts[0].paths[0].pathType'];
    expect(unknownChartKeys('loki', loki, passThrough)).toEqual([]);
  });

  test('refuses what would make the alerts go nowhere or to the wrong place', () => {
    const mk = (id: string, alerting: Partial<AuditTrailAlerting>, site: typeof almaty | typeof frankfurt = almaty) => () =>
      new AuditTrail(newStack().stack, id, { site, sourceNamespaces: ['clients'], alerting: { ...ALERTING, ...alerting } });
    expect(mk('A', { dpoContact: 'the DPO' })).toThrow('test/A/Alerting: dpoContact: "the DPO" is not an e-mail address');
    expect(mk('B', { smtp: { ...ALERTING.smtp, cidrs: [] } })).toThrow('test/B/Alerting: smtp.cidrs:');
    expect(mk('C', { smtp: { ...ALERTING.smtp, smarthost: 'smtp.example.kz' } })).toThrow('test/C/Alerting: smtp.smarthost: "smtp.example.kz" is not host:port');
    expect(mk('D', { smtp: { ...ALERTING.smtp, username: undefined, passwordSecret: 'x' } })).toThrow('test/D/Alerting: smtp.passwordSecret:');
    expect(mk('E', { applicationRoles: ['App-Owner'] })).toThrow('test/E/Alerting: applicationRoles: "App-Owner" is not a lower-case PostgreSQL role name');
    expect(mk('F', { workingHours: { start: 18, end: 9 } })).toThrow('test/F/Alerting: workingHours.end:');
    expect(mk('G', { window: 'five minutes' })).toThrow('test/G/Alerting: window:');
    expect(() => new AuditTrail(newStack().stack, 'H', { site: almaty, alerting: ALERTING })).toThrow(
      'test/H: alerting.namespaces: logs of every namespace are collected',
    );
    expect(mk('I', {}, frankfurt)).toThrow('test/I: site: audit logs are kept on a Kazakh site');
  });

  test('without a username the relay is used unauthenticated and no Secret is expected', () => {
    const { stack: s } = newStack();
    const a = new AuditTrail(s, 'Open', { site: almaty, sourceNamespaces: ['clients'], alerting: { ...ALERTING, smtp: { ...ALERTING.smtp, username: undefined } } });
    const v = helmValues(synthDoc(s), 'alertmanager')['open-alertmanager'];
    expect(at(v, 'config', 'global', 'smtp_auth_password_file')).toBeUndefined();
    expect(at(v, 'extraSecretMounts')).toBeUndefined();
    expect(a.prerequisites.map((p) => p.name)).not.toContain('open-smtp-credentials');
  });
});

// ---------------------------------------------------------------------------------------------
// Each alert rule, evaluated over CloudNativePG pgaudit records as Fluent Bit ships them
// ---------------------------------------------------------------------------------------------

const RULES = auditAlertRules({ namespaces: ['clients', 'matters'] });
const rule = (name: string): AlertRule => {
  const r = RULES.groups[0].rules.find((x) => x.alert === name);
  if (!r) throw new Error(`no rule ${name}`);
  return r;
};

/** A CloudNativePG pgaudit record, merged into the Fluent Bit record (Merge_Log On), as the line Loki stores. */
function pgaudit(o: { user: string; namespace?: string; cls?: string; command?: string; time: string; logger?: string }): LogLine {
  const namespace = o.namespace ?? 'clients';
  const record = {
    level: 'info',
    ts: Date.parse(o.time) / 1000,
    logger: o.logger ?? 'pgaudit',
    msg: 'record',
    logging_pod: `${namespace}-1`,
    record: {
      log_time: o.time,
      user_name: o.user,
      database_name: 'app',
      command_tag: o.command ?? 'SELECT',
      audit: {
        audit_type: 'SESSION',
        statement_id: '1',
        substatement_id: '1',
        class: o.cls ?? 'READ',
        command: o.command ?? 'SELECT',
        object_type: 'TABLE',
        object_name: 'public.clients',
        statement: 'SELECT * FROM clients',
        parameter: '<not logged>',
      },
    },
    kubernetes: { namespace_name: namespace, pod_name: `${namespace}-1`, container_name: 'postgres' },
  };
  return { labels: { job: 'kz-audit', site: 'kz-ala-1', namespace }, time: new Date(o.time), line: JSON.stringify(record) };
}

const times = (n: number, f: (i: number) => LogLine): LogLine[] => Array.from({ length: n }, (_, i) => f(i));

describe('KzAuditMassRead', () => {
  const q = parseAlert(rule('KzAuditMassRead').expr);
  const at = new Date('2026-12-01T06:05:00Z'); // 11:05 in Almaty

  test('counts read records per namespace and user over 5 minutes, above 500', () => {
    expect(q.selector).toEqual([
      { name: 'job', op: '=', value: 'kz-audit' },
      { name: 'namespace', op: '=~', value: 'clients|matters' },
    ]);
    expect([q.groupBy, q.rangeMs, q.op, q.threshold]).toEqual([['namespace', 'user'], 300_000, '>', 500]);
    expect(q.pipeline).toContain('logger="pgaudit"');
    expect(q.pipeline).toContain('class="READ"');
  });

  test('501 SELECTs by one user in 5 minutes fire; 500 do not; writes and other users are not added up', () => {
    const reads = (n: number, user = 'app') => times(n, (i) => pgaudit({ user, time: new Date(at.getTime() - 1000 - i * 500).toISOString() }));
    expect(q.evaluate(reads(501), at)).toEqual([{ labels: { namespace: 'clients', user: 'app' }, value: 501 }]);
    expect(q.evaluate(reads(500), at)).toEqual([]);
    const mixed = [...reads(300, 'app'), ...reads(300, 'reporting'), ...times(300, (i) => pgaudit({ user: 'app', cls: 'WRITE', command: 'INSERT', time: new Date(at.getTime() - 2000 - i * 100).toISOString() }))];
    expect(q.evaluate(mixed, at)).toEqual([]);
  });

  test('COPY … TO (an export) is a read', () => {
    const copies = times(501, (i) => pgaudit({ user: 'app', command: 'COPY', time: new Date(at.getTime() - 1000 - i * 100).toISOString() }));
    expect(q.evaluate(copies, at)).toHaveLength(1);
  });

  test('records of other namespaces and other loggers are not counted', () => {
    const other = times(600, (i) => pgaudit({ user: 'app', namespace: 'portal', time: new Date(at.getTime() - 1000 - i * 100).toISOString() }));
    const postgres = times(600, (i) => pgaudit({ user: 'app', logger: 'postgres', time: new Date(at.getTime() - 1000 - i * 100).toISOString() }));
    expect(q.evaluate([...other, ...postgres], at)).toEqual([]);
  });
});

describe('KzAuditReadByUnexpectedRole', () => {
  const q = parseAlert(rule('KzAuditReadByUnexpectedRole').expr);
  const t = '2026-12-01T06:00:00Z';
  const now = new Date('2026-12-01T06:01:00Z');

  test('any read by a role that is neither the application role nor the regulator role fires', () => {
    expect(q.pipeline).toContain('user!~"app|kz_auditor"');
    expect(q.threshold).toBe(0);
    expect(q.evaluate([pgaudit({ user: 'mallory', time: t })], now)).toEqual([{ labels: { namespace: 'clients', user: 'mallory' }, value: 1 }]);
    expect(q.evaluate([pgaudit({ user: 'postgres', namespace: 'matters', time: t })], now)).toEqual([{ labels: { namespace: 'matters', user: 'postgres' }, value: 1 }]);
  });

  test('the application role and the regulator role do not; a role named like them does', () => {
    expect(q.evaluate([pgaudit({ user: 'app', time: t }), pgaudit({ user: 'kz_auditor', time: t })], now)).toEqual([]);
    expect(q.evaluate([pgaudit({ user: 'app2', time: t })], now)).toHaveLength(1);
  });

  test('writes by an unexpected role are not reads (the night rule and the DBA review catch those)', () => {
    expect(q.evaluate([pgaudit({ user: 'mallory', cls: 'WRITE', command: 'UPDATE', time: t })], now)).toEqual([]);
  });
});

describe('KzAuditAccessOutsideWorkingHours', () => {
  const q = parseAlert(rule('KzAuditAccessOutsideWorkingHours').expr);
  const run = (iso: string, user = 'dba') => q.evaluate([pgaudit({ user, cls: 'WRITE', command: 'UPDATE', time: iso })], new Date(Date.parse(iso) + 60_000));

  test('working hours 09:00–19:00 Almaty (UTC+5), Monday to Friday, as UTC slots', () => {
    expect(q.pipeline.some((p) => p.startsWith('label_format utc_slot=`{{ __timestamp__ | date "Mon 15" }}`'))).toBe(true);
    expect(workingSlotsUtc()).toHaveLength(50);
    expect(workingSlotsUtc()[0]).toBe('Mon 04');
    expect(workingSlotsUtc({ start: 8, end: 10, days: ['Mon'], utcOffsetHours: 6 })).toEqual(['Mon 02', 'Mon 03']);
    // an offset that crosses midnight: 02:00 on Monday in UTC+5 is Sunday 21:00 UTC
    expect(workingSlotsUtc({ start: 2, end: 3, days: ['Mon'] })).toEqual(['Sun 21']);
  });

  test('a statement by a person at 03:00 Almaty time on a weekday fires; at 10:00 it does not', () => {
    expect(run('2026-12-01T22:00:00Z')).toEqual([{ labels: { namespace: 'clients', user: 'dba' }, value: 1 }]); // Wed 03:00 local
    expect(run('2026-12-01T05:00:00Z')).toEqual([]); // Tue 10:00 local
    expect(run('2026-12-01T13:59:00Z')).toEqual([]); // Tue 18:59 local
    expect(run('2026-12-01T14:00:00Z')).toHaveLength(1); // Tue 19:00 local
  });

  test('any hour on a Saturday fires; the application role never does', () => {
    expect(run('2026-12-05T06:00:00Z')).toHaveLength(1); // Sat 11:00 local
    expect(run('2026-12-01T22:00:00Z', 'app')).toEqual([]);
  });
});

describe('KzAuditRegulatorRoleUsed', () => {
  const q = parseAlert(rule('KzAuditRegulatorRoleUsed').expr);
  const now = new Date('2026-12-01T06:01:00Z');

  test("any statement by the regulator's role fires, with its count", () => {
    expect(q.pipeline).toContain('user="kz_auditor"');
    expect(q.evaluate([pgaudit({ user: 'kz_auditor', time: '2026-12-01T06:00:00Z' }), pgaudit({ user: 'kz_auditor', time: '2026-12-01T06:00:30Z' })], now)).toEqual([
      { labels: { namespace: 'clients', user: 'kz_auditor' }, value: 2 },
    ]);
    expect(q.evaluate([pgaudit({ user: 'app', time: '2026-12-01T06:00:00Z' })], now)).toEqual([]);
  });

  test('a renamed regulator role is what the rule watches', () => {
    const r = auditAlertRules({ namespaces: ['clients'], regulatorRole: 'arrfr_inspector' }).groups[0].rules.find((x) => x.alert === 'KzAuditRegulatorRoleUsed');
    const q2 = parseAlert(String(r?.expr));
    expect(q2.evaluate([pgaudit({ user: 'arrfr_inspector', time: '2026-12-01T06:00:00Z' })], now)).toHaveLength(1);
    expect(q2.evaluate([pgaudit({ user: 'kz_auditor', time: '2026-12-01T06:00:00Z' })], now)).toEqual([]);
  });
});
