// Text for the demo data: what an operator of Microsoft 365 / Intune tenants sees in a working week.
import type { RunOutcome } from '../operation-runs/tables.ts';
import type { Role } from './tables.ts';

/** Who works where: two MSP workspaces, their customer tenants and people of every role. */
export interface DemoUser {
  key: string;
  name: string;
  /** Printed at start-up; users without it exist to make the data realistic. */
  shown?: string;
  active?: boolean;
  workspace: 'northwind' | 'contoso';
  workspaceRole: Role;
  tenants: Partial<Record<string, Role>>;
}

export const TENANTS = [
  { key: 'fabrikam-retail', workspace: 'northwind', name: 'Fabrikam Retail' },
  { key: 'adatum-health', workspace: 'northwind', name: 'Adatum Health' },
  { key: 'tailspin-toys', workspace: 'northwind', name: 'Tailspin Toys' },
  { key: 'woodgrove-bank', workspace: 'northwind', name: 'Woodgrove Bank' },
  { key: 'litware-legal', workspace: 'contoso', name: 'Litware Legal' },
  { key: 'proseware-labs', workspace: 'contoso', name: 'Proseware Labs' },
] as const;
const northwind = (role: Role) => ({
  'fabrikam-retail': role,
  'adatum-health': role,
  'tailspin-toys': role,
  'woodgrove-bank': role,
});

export const USERS: DemoUser[] = [
  {
    key: 'owner',
    name: 'Olivia Hart',
    shown: 'owner',
    workspace: 'northwind',
    workspaceRole: 'owner',
    tenants: northwind('owner'),
  },
  {
    key: 'manager',
    name: 'Marcus Chen',
    shown: 'manager',
    workspace: 'northwind',
    workspaceRole: 'manager',
    tenants: northwind('manager'),
  },
  {
    key: 'operator',
    name: 'Priya Natarajan',
    shown: 'operator (not on Woodgrove Bank)',
    workspace: 'northwind',
    workspaceRole: 'operator',
    tenants: { 'fabrikam-retail': 'operator', 'adatum-health': 'operator', 'tailspin-toys': 'operator' },
  },
  {
    key: 'readonly',
    name: 'Rafael Ortiz',
    shown: 'readonly (Fabrikam Retail, Adatum Health)',
    workspace: 'northwind',
    workspaceRole: 'readonly',
    tenants: { 'fabrikam-retail': 'readonly', 'adatum-health': 'readonly' },
  },
  {
    key: 'engineer',
    name: 'Tom Becker',
    workspace: 'northwind',
    workspaceRole: 'operator',
    tenants: { 'fabrikam-retail': 'operator', 'woodgrove-bank': 'operator', 'tailspin-toys': 'operator' },
  },
  {
    key: 'auditor',
    name: 'Wendy Brooks',
    shown: 'workspace member without tenant access',
    workspace: 'northwind',
    workspaceRole: 'readonly',
    tenants: {},
  },
  {
    key: 'former',
    name: 'Sam Keller',
    active: false,
    workspace: 'northwind',
    workspaceRole: 'operator',
    tenants: { 'fabrikam-retail': 'operator', 'adatum-health': 'operator' },
  },
  {
    key: 'contoso',
    name: 'Aisha Bello',
    shown: 'owner in Contoso Managed Services only',
    workspace: 'contoso',
    workspaceRole: 'owner',
    tenants: { 'litware-legal': 'owner', 'proseware-labs': 'owner' },
  },
  {
    key: 'contoso-operator',
    name: 'Jonas Weber',
    workspace: 'contoso',
    workspaceRole: 'operator',
    tenants: { 'litware-legal': 'operator', 'proseware-labs': 'operator' },
  },
];

export const FINDING_TITLES = [
  'BitLocker encryption not enforced on Windows 11 devices',
  'Legacy authentication still allowed for Exchange Online',
  'Conditional Access policy "Require MFA for admins" is in report-only mode',
  'Security defaults disabled without a Conditional Access replacement',
  'Global Administrator role assigned to 7 accounts (baseline: at most 4)',
  'Break-glass account excluded from sign-in monitoring',
  'Windows Update ring defers quality updates by 30 days (baseline: 7)',
  'Defender for Endpoint tamper protection turned off',
  'Attack surface reduction rules set to audit instead of block',
  'Compliance policy drift: minimum iOS version lowered to 15.0',
  'Android Enterprise work profile allows copy/paste to personal apps',
  'App protection policy missing for Outlook on unmanaged devices',
  'Device configuration profile "Kiosk - Front desk" changed outside change control',
  'Windows LAPS not configured; local admin passwords never rotate',
  'Stale devices: 42 devices not checked in for over 90 days',
  'Guest users can invite other guests',
  'External sharing in SharePoint set to "Anyone" links',
  'OneDrive sync allowed on non-domain-joined devices',
  'Mailbox auditing disabled for 3 shared mailboxes',
  'Outbound spam policy allows automatic forwarding to external domains',
  'DKIM signing not enabled for the primary domain',
  'DMARC policy is p=none',
  'Admin consent workflow disabled; users can consent to unverified apps',
  'Enterprise app with Mail.ReadWrite application permission and no owner',
  'App registration client secret expires in 9 days',
  'Privileged Identity Management: permanent role assignments found',
  'Password expiration policy differs from the baseline',
  'Self-service password reset allows security questions only',
  'Microsoft Authenticator number matching not enforced',
  'FIDO2 security keys blocked by authentication methods policy',
  'Intune enrollment restrictions allow personally owned Windows devices',
  'Autopilot profile assigns users as local administrators',
  'Endpoint firewall profile disabled for the private network',
  'SmartScreen for Microsoft Edge can be bypassed by users',
  'USB storage allowed on devices in the "Finance" group',
  'Remote wipe not permitted by the macOS enrollment profile',
  'Teams external access open to all domains',
  'Audit log search turned off in Microsoft Purview',
  'Sensitivity labels published but none applied by default',
  'Data loss prevention policy in test mode for 120 days',
  'Safe Links not applied to Teams messages',
  'Anti-phishing policy impersonation protection missing executives',
  'Unified audit log retention shorter than 180 days',
  'Windows Hello for Business PIN complexity below baseline',
  'Microsoft Store for Business apps bypass approval',
  'Named location "HQ" trusts a retired IP range',
  'Sign-in risk policy not applied to service accounts',
  'Device compliance grace period extended to 14 days',
  'Managed Apple ID federation not configured',
  'Co-management workload for compliance still with Configuration Manager',
] as const;

type Pick = <T>(items: readonly T[]) => T;
type Int = (min: number, max: number) => number;

/** The run's summary for its type and outcome, with plausible figures from the seeded random source. */
export function runSummary(
  type: string,
  outcome: RunOutcome,
  tenants: number | null,
  pick: Pick,
  int: Int,
): string {
  const scope = tenants === null ? '' : `Workspace-wide across ${tenants} tenants: `;
  const objects = int(180, 2400);
  const n = (value: number) => value.toLocaleString('en-US');
  const texts: Record<string, Record<RunOutcome, string[]>> = {
    sync: {
      succeeded: [
        `Synced ${n(objects)} objects (${int(20, 90)} configuration profiles, ${int(5, 40)} compliance policies); ${int(0, 12)} changed since the last sync.`,
        `Synced ${n(objects)} objects; no changes since the last sync.`,
      ],
      partially_succeeded: [
        `Synced ${n(objects - 37)} of ${n(objects)} objects; Windows Update rings could not be read (Graph 403: DeviceManagementConfiguration.Read.All not granted).`,
        `Synced ${n(objects - 5)} of ${n(objects)} objects; 5 app assignments skipped after Graph timeouts.`,
      ],
      failed: [
        'Microsoft Graph throttled the tenant (429 Too Many Requests) after 3 retries; nothing synced.',
        "Token request failed: the app registration's client secret has expired.",
      ],
    },
    backup: {
      succeeded: [`Backed up ${n(objects)} configuration items (${int(4, 60)} MB) to a new snapshot.`],
      partially_succeeded: [
        `Backed up ${n(objects)} items; ${int(2, 9)} PowerShell scripts skipped (larger than 200 KB).`,
        `Backed up ${n(objects)} items; Autopilot profiles unavailable (Graph 503), retried next run.`,
      ],
      failed: [
        'Backup storage unreachable: writing the snapshot timed out after 120 s.',
        'Backup aborted: the tenant consent was revoked (AADSTS65001).',
      ],
    },
    baseline_compare: {
      succeeded: [
        `Compared ${n(objects)} settings with "Security Baseline v3": no drift.`,
        `Compared ${n(objects)} settings with "Security Baseline v3": ${int(2, 14)} drifted, findings updated.`,
      ],
      partially_succeeded: [
        `Compared ${n(objects - 120)} of ${n(objects)} settings; the Defender for Endpoint baseline could not be read.`,
      ],
      failed: ['Baseline "Security Baseline v3" is not assigned to this tenant; nothing compared.'],
    },
  };
  return scope + pick(texts[type]?.[outcome] ?? [`${type} ${outcome}`]);
}

export const RUNNING_SUMMARIES: Record<string, string> = {
  sync: 'Reading device configurations from Microsoft Graph…',
  backup: 'Writing the configuration snapshot…',
  baseline_compare: 'Comparing settings with "Security Baseline v3"…',
};

export const EXCEPTION_REASONS = [
  'Line-of-business scanner app only supports legacy authentication; vendor fix scheduled for next quarter.',
  'Kiosk devices are being replaced in the hardware refresh; encrypting them now would need a site visit each.',
  'Finance needs USB export for the year-end audit; compensating control: DLP on the export share.',
  'Pilot group keeps the longer deferral while the new driver is validated.',
  'Customer accepted the risk in the quarterly review; see the signed minutes.',
] as const;
