/**
 * Real-time monitoring of the audit trail: alert rules over the pgaudit stream, evaluated by the
 * Loki ruler of an {@link AuditTrail} and delivered by an Alertmanager to the data protection
 * officer by e-mail.
 *
 * - **Rules** (a ConfigMap mounted into Loki under its ruler's local rules directory, one file per
 *   Loki tenant): LogQL alert rules over the CloudNativePG pgaudit records of the watched
 *   namespaces (`logger="pgaudit"`, the user in `record.user_name`, the statement class in
 *   `record.audit.class`): mass reads or exports per user per window, reads by roles outside the
 *   application's, any statement by a non-application role outside working hours, and any use of
 *   the regulator's role. See {@link auditAlertRules}.
 * - **Alertmanager** (chart 1.21.0) in the audit namespace, routing every alert to one receiver
 *   that e-mails the DPO through the organisation's SMTP relay; the relay's password is read from a
 *   Secret the user provides (`smtp_auth_password_file`), never from the configuration.
 *
 * What it does not do: pgaudit records statements, not rows, so "mass reads" is a statement count;
 * an export by one statement that returns millions of rows is caught by the other rules only when
 * its user or time is unusual. Alerting needs Fluent Bit to parse the records (`Merge_Log On`) and
 * to label streams with their namespace, which {@link AuditTrail} configures.
 */
import { Construct } from 'constructs';
import { Release } from '@cdktf/provider-helm/lib/release';
import { ConfigMapV1 } from '@cdktf/provider-kubernetes/lib/config-map-v1';
import type { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import { stringify } from 'yaml';
import type { IpExit } from './egress-lockdown';
import type { Prerequisite } from './prerequisites';
import type { Site } from './site';
import { SiteProviders } from './site-providers';
import { checkKubeName, refuse, residencyLabels, residencyValues, type ResidencyClaim } from './vocabulary';

/** The Alertmanager chart (prometheus-community), the version the tests check the values against. */
export const ALERTMANAGER_CHART = {
  repository: 'https://prometheus-community.github.io/helm-charts',
  chart: 'alertmanager',
  version: '1.21.0',
} as const;

/** Where Loki's ruler reads rule files (`<dir>/<tenant>/<file>`) and keeps its scratch copies. */
export const LOKI_RULES_DIR = '/etc/loki/rules';
const LOKI_RULES_SCRATCH = '/var/loki/ruler-scratch';
/** Where the Alertmanager reads the SMTP relay's password (key `password` of the Secret). */
const SMTP_SECRET_DIR = '/etc/alertmanager-smtp';

export type Weekday = 'Mon' | 'Tue' | 'Wed' | 'Thu' | 'Fri' | 'Sat' | 'Sun';
const WEEKDAYS: readonly Weekday[] = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** Working hours in local time: access by people outside them is alerted on. */
export interface WorkingHours {
  /** First working hour, 0–23. Default: 9. */
  readonly start?: number;
  /** The hour work ends (exclusive), 1–24, after `start`. Default: 19. */
  readonly end?: number;
  /** Working days. Default: Monday to Friday. */
  readonly days?: readonly Weekday[];
  /** Offset of local time from UTC, in whole hours (Loki formats timestamps in UTC). Default: 5 (Kazakhstan, one time zone since 1 March 2024). */
  readonly utcOffsetHours?: number;
}

/** The organisation's SMTP relay the Alertmanager sends through. */
export interface SmtpRelay {
  /** `host:port` of the relay (STARTTLS on 587, or TLS on 465). No default. */
  readonly smarthost: string;
  /** Sender address of the alert e-mails. No default. */
  readonly from: string;
  /** User name for SMTP authentication. Default: none (the relay accepts the cluster's address without authentication). */
  readonly username?: string;
  /** Secret (in the audit namespace) whose key `password` is the SMTP password. Default: `<name>-smtp-credentials` when `username` is set. */
  readonly passwordSecret?: string;
  /** Registered addresses of the relay: the Alertmanager's only exit out of the cluster. No default (at least one CIDR). */
  readonly cidrs: readonly string[];
  /** Refuse to send without TLS. Default: true. */
  readonly requireTls?: boolean;
}

/** What the rules watch and when they fire. */
export interface AuditAlertRuleOptions {
  /** Namespaces whose pgaudit records are watched (the personal-data stores'). No default (at least one). */
  readonly namespaces: readonly string[];
  /** The `job` label Fluent Bit gives the audit streams. Default: `kz-audit`. */
  readonly job?: string;
  /** Database roles the applications use (they read all day and night). Default: `['app']` (CloudNativePG's application owner). */
  readonly applicationRoles?: readonly string[];
  /** The regulator's read-only role (RegulatorAccess). Default: `kz_auditor`. */
  readonly regulatorRole?: string;
  /** Read statements by one user in one namespace within `window` that make a mass read. Default: 500. */
  readonly massReadStatements?: number;
  /** The window the counts are taken over (a LogQL duration). Default: `5m`. */
  readonly window?: string;
  /** Working hours. Default: see {@link WorkingHours}. */
  readonly workingHours?: WorkingHours;
}

/** One alert rule of a Prometheus-format rule file (Loki's ruler reads the same format, with LogQL). */
export interface AlertRule {
  readonly alert: string;
  readonly expr: string;
  readonly for?: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
}

/** A rule file: `groups: [{name, interval, rules}]`. */
export interface RuleFile {
  readonly groups: ReadonlyArray<{ readonly name: string; readonly interval: string; readonly rules: readonly AlertRule[] }>;
}

const ROLE = /^[a-z_][a-z0-9_]{0,62}$/;
const DURATION = /^[1-9][0-9]*(s|m|h)$/;

/** Problems with rule options (for the construct to refuse), or none. */
export function alertRuleProblems(o: AuditAlertRuleOptions): Array<[prop: string, problem: string]> {
  const out: Array<[string, string]> = [];
  if (o.namespaces.length === 0) out.push(['namespaces', 'at least one namespace to watch is required']);
  for (const r of [...(o.applicationRoles ?? []), ...(o.regulatorRole !== undefined ? [o.regulatorRole] : [])]) {
    if (!ROLE.test(r)) out.push(['applicationRoles', `${JSON.stringify(r)} is not a lower-case PostgreSQL role name`]);
  }
  if (o.applicationRoles && o.applicationRoles.length === 0) out.push(['applicationRoles', 'at least one application role is required']);
  const n = o.massReadStatements;
  if (n !== undefined && (!Number.isInteger(n) || n < 1)) out.push(['massReadStatements', `expected a positive whole number, got ${n}`]);
  if (o.window !== undefined && !DURATION.test(o.window)) out.push(['window', `${JSON.stringify(o.window)} is not a duration such as 5m`]);
  const h = o.workingHours ?? {};
  const start = h.start ?? 9;
  const end = h.end ?? 19;
  if (!Number.isInteger(start) || start < 0 || start > 23) out.push(['workingHours.start', `expected an hour 0–23, got ${start}`]);
  if (!Number.isInteger(end) || end < 1 || end > 24 || end <= start) out.push(['workingHours.end', `expected an hour after start, up to 24, got ${end}`]);
  const off = h.utcOffsetHours ?? 5;
  if (!Number.isInteger(off) || off < -12 || off > 14) out.push(['workingHours.utcOffsetHours', `expected a whole number of hours from -12 to 14, got ${off}`]);
  if (h.days && h.days.length === 0) out.push(['workingHours.days', 'at least one working day is required']);
  return out;
}

/**
 * The `Mon 04`-style UTC slots (weekday and hour, as Loki's `date "Mon 15"` prints them) that fall
 * within the working hours in local time.
 */
export function workingSlotsUtc(h: WorkingHours = {}): string[] {
  const start = h.start ?? 9;
  const end = h.end ?? 19;
  const days = new Set(h.days ?? WEEKDAYS.slice(0, 5));
  const off = h.utcOffsetHours ?? 5;
  const slots: string[] = [];
  WEEKDAYS.forEach((day, d) => {
    if (!days.has(day)) return;
    for (let hour = start; hour < end; hour++) {
      const utc = d * 24 + hour - off;
      const week = 7 * 24;
      const u = ((utc % week) + week) % week;
      slots.push(`${WEEKDAYS[Math.floor(u / 24)]} ${String(u % 24).padStart(2, '0')}`);
    }
  });
  return slots;
}

/** LogQL string literal (double-quoted). */
function q(s: string): string {
  return JSON.stringify(s);
}

/**
 * The alert rules over the pgaudit stream: one group, four alerts, each counting pgaudit records
 * per namespace and user over `window`.
 */
export function auditAlertRules(o: AuditAlertRuleOptions): RuleFile {
  const job = o.job ?? 'kz-audit';
  const apps = o.applicationRoles ?? ['app'];
  const regulator = o.regulatorRole ?? 'kz_auditor';
  const window = o.window ?? '5m';
  const mass = o.massReadStatements ?? 500;
  const ns = [...new Set(o.namespaces)].sort();
  const selector = `{job=${q(job)}, namespace=~${q(ns.join('|'))}}`;
  const records = `${selector} | json logger="logger", user="record.user_name", class="record.audit.class", command="record.audit.command" | logger="pgaudit"`;
  const count = (filters: string) => `sum by (namespace, user) (count_over_time(${records}${filters} [${window}]))`;
  const appRoles = q(apps.join('|'));
  const slots = workingSlotsUtc(o.workingHours);
  const h = o.workingHours ?? {};
  const hours = `${String(h.start ?? 9).padStart(2, '0')}:00–${String(h.end ?? 19).padStart(2, '0')}:00 (UTC${(h.utcOffsetHours ?? 5) >= 0 ? '+' : ''}${h.utcOffsetHours ?? 5}), ${(h.days ?? WEEKDAYS.slice(0, 5)).join(', ')}`;
  const common = { source: 'pgaudit', team: 'dpo' };
  return {
    groups: [
      {
        name: 'kz-residency-audit-trail',
        interval: '1m',
        rules: [
          {
            alert: 'KzAuditMassRead',
            expr: `${count(' | class="READ"')} > ${mass}`,
            labels: { ...common, severity: 'critical' },
            annotations: {
              summary: 'Mass read or export of personal data by {{ $labels.user }} in {{ $labels.namespace }}',
              description: `{{ $labels.user }} ran {{ $value }} read statements (SELECT, COPY … TO) on the store in namespace {{ $labels.namespace }} within ${window}; more than ${mass} is treated as a mass read or export. Check who used the role and what was read; a confirmed breach must be notified to the authorised body within one business day.`,
            },
          },
          {
            alert: 'KzAuditReadByUnexpectedRole',
            expr: `${count(` | class="READ" | user!~${q([...apps, regulator].join('|'))}`)} > 0`,
            labels: { ...common, severity: 'warning' },
            annotations: {
              summary: 'Role {{ $labels.user }} read personal data in {{ $labels.namespace }}',
              description: `{{ $labels.user }} is neither an application role (${apps.join(', ')}) nor the regulator's role (${regulator}), yet it ran {{ $value }} read statements on the store in namespace {{ $labels.namespace }} within ${window}.`,
            },
          },
          {
            alert: 'KzAuditAccessOutsideWorkingHours',
            expr: `${count(` | user!~${appRoles} | label_format utc_slot=\`{{ __timestamp__ | date "Mon 15" }}\` | utc_slot!~${q(slots.join('|'))}`)} > 0`,
            labels: { ...common, severity: 'warning' },
            annotations: {
              summary: 'Access to personal data by {{ $labels.user }} outside working hours',
              description: `{{ $labels.user }} ran {{ $value }} statements on the store in namespace {{ $labels.namespace }} outside working hours (${hours}); application roles (${apps.join(', ')}) are not counted.`,
            },
          },
          {
            alert: 'KzAuditRegulatorRoleUsed',
            expr: `${count(` | user=${q(regulator)}`)} > 0`,
            labels: { ...common, severity: 'info' },
            annotations: {
              summary: "The regulator's role {{ $labels.user }} was used in {{ $labels.namespace }}",
              description: `The read-only role of the authorised body (${regulator}) ran {{ $value }} statements on the store in namespace {{ $labels.namespace }} within ${window}. Expected during an inspection; otherwise find out who holds its credentials.`,
            },
          },
        ],
      },
    ],
  };
}

/** Props of {@link AuditAlerting}. */
export interface AuditAlertingProps extends AuditAlertRuleOptions {
  /** The Kazakh site (that of the audit trail). No default. */
  readonly site: Site;
  /** The audit namespace (created by the caller; pass it in `namespaceResource`). No default. */
  readonly namespace: string;
  /** The namespace resource to create first. No default. */
  readonly namespaceResource: NamespaceV1;
  /** Classification of the objects (alerts name users and namespaces). No default. */
  readonly claim: ResidencyClaim;
  /** Loki tenant whose logs the rules read (the directory the rule file goes in). No default. */
  readonly tenant: string;
  /** The data protection officer's e-mail address: every alert goes there. No default. */
  readonly dpoContact: string;
  /** The SMTP relay. No default. */
  readonly smtp: SmtpRelay;
  /** Registered, encrypted storage class of the Alertmanager's volume (silences, notification log). No default. */
  readonly storageClass: string;
  /** Name prefix (ConfigMap `<name>-alert-rules`, release `<name>-alertmanager`). No default. */
  readonly name: string;
}

/** What {@link AuditTrail} adds to Loki's values so that its ruler loads the rules and sends to the Alertmanager. */
export interface LokiRuler {
  readonly rulerConfig: Record<string, unknown>;
  readonly volume: { readonly name: string; readonly configMap: { readonly name: string } };
  readonly volumeMount: { readonly name: string; readonly mountPath: string; readonly readOnly: true };
}

const EMAIL = /^[^\s@<>(),;:"]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$/;

/** Alert rules over the pgaudit stream, and an Alertmanager that e-mails them to the DPO. */
export class AuditAlerting extends Construct {
  /** The rule file, as loaded by Loki's ruler. */
  readonly rules: RuleFile;
  readonly rulesConfigMap: ConfigMapV1;
  readonly alertmanager: Release;
  /** The in-cluster URL Loki's ruler sends alerts to. */
  readonly alertmanagerUrl: string;
  /** Loki values: ruler configuration and the rules volume. */
  readonly lokiRuler: LokiRuler;
  /** The Alertmanager's exit to the SMTP relay (for the namespace's egress lockdown). */
  readonly smtpExit: IpExit;
  /** Secrets this construct expects to exist before apply. */
  readonly prerequisites: readonly Prerequisite[];

  constructor(scope: Construct, id: string, props: AuditAlertingProps) {
    super(scope, id);
    for (const [prop, problem] of alertRuleProblems(props)) refuse(this, prop, problem);
    props.namespaces.forEach((n) => checkKubeName(this, 'namespaces', n));
    if (!EMAIL.test(props.dpoContact))
      refuse(this, 'dpoContact', `${JSON.stringify(props.dpoContact)} is not an e-mail address; alerts are e-mailed to the DPO`);
    const smtp = props.smtp;
    const hostPort = /^([A-Za-z0-9.-]+):([0-9]{1,5})$/.exec(smtp.smarthost);
    if (!hostPort || Number(hostPort[2]) < 1 || Number(hostPort[2]) > 65535)
      refuse(this, 'smtp.smarthost', `${JSON.stringify(smtp.smarthost)} is not host:port`);
    if (!EMAIL.test(smtp.from)) refuse(this, 'smtp.from', `${JSON.stringify(smtp.from)} is not an e-mail address`);
    if (smtp.cidrs.length === 0)
      refuse(this, 'smtp.cidrs', "the relay's addresses are the Alertmanager's only exit; give at least one CIDR");
    for (const c of smtp.cidrs) {
      if (!/^[0-9a-fA-F:.]+\/[0-9]{1,3}$/.test(c)) refuse(this, 'smtp.cidrs', `${JSON.stringify(c)} is not a CIDR`);
    }
    if (smtp.passwordSecret !== undefined && smtp.username === undefined)
      refuse(this, 'smtp.passwordSecret', 'a password without a username is never sent; set smtp.username too');
    const name = checkKubeName(this, 'name', props.name);
    const ns = checkKubeName(this, 'namespace', props.namespace);
    const passwordSecret =
      smtp.username !== undefined
        ? checkKubeName(this, 'smtp.passwordSecret', smtp.passwordSecret ?? `${name}-smtp-credentials`)
        : undefined;

    const labels = residencyLabels(props.claim);
    const providers = SiteProviders.of(this, props.site);
    this.rules = auditAlertRules(props);

    const rulesMap = `${name}-alert-rules`;
    this.rulesConfigMap = new ConfigMapV1(this, 'rules', {
      provider: providers.kubernetes,
      metadata: { name: rulesMap, namespace: ns, labels },
      data: { 'kz-residency-audit.yaml': stringify(this.rules, { lineWidth: 0 }) },
      dependsOn: [props.namespaceResource],
    });

    const fullname = `${name}-alertmanager`;
    this.alertmanagerUrl = `http://${fullname}.${ns}.svc.cluster.local:9093`;
    this.lokiRuler = {
      rulerConfig: {
        storage: { type: 'local', local: { directory: LOKI_RULES_DIR } },
        rule_path: LOKI_RULES_SCRATCH,
        alertmanager_url: this.alertmanagerUrl,
        enable_api: false,
      },
      volume: { name: 'audit-alert-rules', configMap: { name: rulesMap } },
      volumeMount: { name: 'audit-alert-rules', mountPath: `${LOKI_RULES_DIR}/${props.tenant}`, readOnly: true },
    };

    const global: Record<string, unknown> = {
      smtp_smarthost: smtp.smarthost,
      smtp_from: smtp.from,
      smtp_require_tls: smtp.requireTls ?? true,
      ...(smtp.username !== undefined
        ? { smtp_auth_username: smtp.username, smtp_auth_password_file: `${SMTP_SECRET_DIR}/password` }
        : {}),
    };
    const values = {
      residency: residencyValues(props.claim),
      fullnameOverride: fullname,
      podLabels: labels,
      persistence: { enabled: true, storageClass: props.storageClass, size: '50Mi' },
      configmapReload: { enabled: false },
      ...(passwordSecret
        ? { extraSecretMounts: [{ name: 'smtp-credentials', mountPath: SMTP_SECRET_DIR, subPath: '', secretName: passwordSecret, readOnly: true }] }
        : {}),
      config: {
        enabled: true,
        global,
        templates: [],
        route: {
          receiver: 'dpo',
          group_by: ['alertname', 'namespace', 'user'],
          group_wait: '30s',
          group_interval: '5m',
          repeat_interval: '4h',
        },
        receivers: [
          {
            name: 'dpo',
            email_configs: [
              {
                to: props.dpoContact,
                send_resolved: true,
                headers: { Subject: '[kz-residency audit] {{ .CommonLabels.alertname }} {{ .CommonLabels.namespace }} {{ .CommonLabels.user }}' },
              },
            ],
          },
        ],
      },
    };
    this.alertmanager = new Release(this, 'alertmanager', {
      provider: providers.helm,
      name: fullname,
      namespace: ns,
      repository: ALERTMANAGER_CHART.repository,
      chart: ALERTMANAGER_CHART.chart,
      version: ALERTMANAGER_CHART.version,
      values: [JSON.stringify(values, null, 2)],
      dependsOn: [props.namespaceResource],
    });

    this.smtpExit = {
      description: `SMTP relay ${smtp.smarthost}`,
      cidrs: smtp.cidrs,
      ports: [Number((hostPort as RegExpExecArray)[2])],
      protocol: 'TCP',
    };
    this.prerequisites = passwordSecret
      ? [
          {
            kind: 'secret',
            name: passwordSecret,
            namespace: ns,
            keys: ['password'],
            purpose: `password of ${smtp.username} at the SMTP relay ${smtp.smarthost}, which e-mails audit alerts to ${props.dpoContact}`,
            createdBy: 'the site operator, before apply',
          },
        ]
      : [];
  }
}
