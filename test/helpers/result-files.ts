/**
 * Result files in the tools' real shapes, written for TenantPilot's tests (no third-party file is copied):
 * - Maester 1.x/2.x `TestResults-*.json` as ConvertTo-MtMaesterResult writes it (Maester 2.0.0, 2026-08: Id,
 *   Title, Severity, ResultDetail.TestDescription/TestResult/Severity, ScriptBlock, ErrorRecord as an array of
 *   error records, Block, Tag, top-level counts, SystemInfo, Blocks, EndOfJson), the 1.0 shape before Id/Title
 *   ("ID1002: title" in Name), and Merge-MtMaesterResult's `{"Tenants": [...], "EndOfJson"}`;
 * - ScubaGear 1.x `ScubaResults_<uuid>.json` as its Orchestrator writes it (ScubaGear 1.8.0: MetaData,
 *   Summary, AnnotatedFailedPolicies, Results.<product>[] groups of Controls with "Control ID", Requirement
 *   (HTML), Result, Criticality, Details, and Raw, the provider export).
 */

export type MaesterResult = 'Passed' | 'Failed' | 'Skipped' | 'NotRun' | 'Error' | 'Investigate';

export interface MaesterTest {
  id: string;
  title: string;
  result: MaesterResult;
  severity?: string | null;
  /** Where the severity is written: the test (default) or ResultDetail (as Add-MtTestResultDetail does). */
  severityIn?: 'test' | 'detail';
  description?: string;
  evidence?: string;
}

export interface MaesterOptions {
  tenantId: string;
  executedAt?: string;
  tests: MaesterTest[];
  /** 'pre-1.1' writes no Id/Title: the Name carries "Id: Title". */
  version?: 'current' | 'pre-1.1';
  /** Extra characters in every ScriptBlock: bulk the reader must not hold. */
  scriptPadding?: number;
}

function maesterTest(test: MaesterTest, index: number, options: MaesterOptions) {
  const name = `${test.id}: ${test.title}`;
  const pad = 'x'.repeat(options.scriptPadding ?? 0);
  const common = {
    Name: name,
    HelpUrl: `https://maester.dev/docs/tests/${test.id}`,
    Tag: ['Maester', 'Entra', test.id],
    Result: test.result,
    ScriptBlock: `\n        Test-MtCheck${index} | Should -Be $true -Because "the policy must be set" ${pad}\n    `,
    ScriptBlockFile: `/home/runner/maester-tests/Maester/Entra/Test-${index}.Tests.ps1`,
    ErrorRecord:
      test.result === 'Failed' || test.result === 'Error'
        ? [
            {
              Exception: { Message: 'Expected $true, but got $false.', Data: {}, HResult: -2146233088 },
              CategoryInfo: { Category: 'InvalidResult', Reason: 'Exception', TargetName: '' },
              FullyQualifiedErrorId: 'PesterAssertionFailed',
              ScriptStackTrace: `at <ScriptBlock>, /home/runner/Test-${index}.Tests.ps1: line 7 ${pad}`,
            },
          ]
        : [],
    Block: 'Maester/Entra',
    Duration: '00:00:00.412',
    ResultDetail:
      test.description === undefined && test.evidence === undefined && test.severityIn !== 'detail'
        ? null
        : {
            TestTitle: null,
            TestDescription: test.description ?? null,
            TestResult: test.evidence ?? null,
            TestSkipped: test.result === 'Skipped' ? 'NotConnectedExchange' : null,
            SkippedReason: test.result === 'Skipped' ? 'Not connected to Exchange Online' : null,
            TestInvestigate: test.result === 'Investigate',
            Severity: test.severityIn === 'detail' ? (test.severity ?? null) : null,
            Service: 'Entra',
          },
  };
  if (options.version === 'pre-1.1') {
    const { ResultDetail, ...old } = common;
    return {
      ...old,
      ResultDetail: ResultDetail && {
        TestDescription: ResultDetail.TestDescription,
        TestResult: ResultDetail.TestResult,
      },
    };
  }
  return {
    Index: index + 1,
    Id: test.id,
    Title: test.title,
    ...common,
    Severity: test.severityIn === 'detail' ? '' : (test.severity ?? ''),
  };
}

const count = (tests: MaesterTest[], result: MaesterResult) =>
  tests.filter((test) => test.result === result).length;

export function maesterResult(options: MaesterOptions) {
  const { tests } = options;
  return {
    Result: count(tests, 'Failed') > 0 ? 'Failed' : 'Passed',
    FailedCount: count(tests, 'Failed'),
    PassedCount: count(tests, 'Passed'),
    ErrorCount: count(tests, 'Error'),
    InvestigateCount: count(tests, 'Investigate'),
    SkippedCount: count(tests, 'Skipped'),
    NotRunCount: count(tests, 'NotRun'),
    TotalCount: tests.length,
    ExecutedAt: options.executedAt ?? '2026-11-20T17:00:59.074646+11:00',
    TotalDuration: '00:03:12',
    UserDuration: '00:02:50',
    DiscoveryDuration: '00:00:11',
    FrameworkDuration: '00:00:11',
    TenantId: options.tenantId,
    TenantName: 'Contoso',
    TenantLogos: null,
    Account: 'admin@contoso.onmicrosoft.com',
    CurrentVersion: options.version === 'pre-1.1' ? '1.0.0' : '2.0.0',
    LatestVersion: '2.0.0',
    SystemInfo: { MachineName: 'runner', OSPlatform: 'Linux', ProcessorCount: 2 },
    PowerShellInfo: { Version: '7.4.6', Edition: 'Core', Platform: 'Unix' },
    LoadedModules: [{ Name: 'Maester', Version: '2.0.0' }],
    InvokeCommand: 'Invoke-Maester -OutputFolder ./test-results',
    MgContext: null,
    PesterConfig: null,
    MaesterConfig: null,
    Tests: tests.map((test, index) => maesterTest(test, index, options)),
    Blocks: [{ Name: 'Maester/Entra', Result: 'Failed', TotalCount: tests.length, Tag: ['Maester'] }],
    EndOfJson: 'EndOfJson',
  };
}

export function maesterMerged(results: ReturnType<typeof maesterResult>[]) {
  return { Tenants: results, CurrentVersion: '2.0.0', LatestVersion: '2.0.0', EndOfJson: 'EndOfJson' };
}

export type ScubaResult =
  | 'Pass'
  | 'Fail'
  | 'Warning'
  | 'N/A'
  | 'Error'
  | 'Omitted'
  | 'Incorrect result'
  | '-';

export interface ScubaControl {
  id: string;
  requirement: string;
  result: ScubaResult;
  criticality: string;
  details?: string;
}

export function scubaResults(options: {
  tenantId: string;
  uuid?: string;
  timestamp?: string;
  products?: Record<string, ScubaControl[]>;
  rawPadding?: number;
}) {
  const products = options.products ?? {};
  const results: Record<string, unknown> = {};
  const summary: Record<string, unknown> = {};
  for (const [product, controls] of Object.entries(products)) {
    results[product] = [
      {
        GroupName: `${product} baseline`,
        GroupNumber: '1',
        GroupReferenceURL: `https://github.com/cisagov/ScubaGear/blob/v1.8.0/PowerShell/ScubaGear/baselines/${product.toLowerCase()}.md#1-group`,
        Controls: controls.map((control) => ({
          'Control ID': control.id,
          Requirement: control.requirement,
          Result: control.result,
          Criticality: control.criticality,
          Details: control.details ?? 'Requirement met',
        })),
      },
    ];
    summary[product] = {
      Manual: 0,
      Passes: controls.filter((c) => c.result === 'Pass').length,
      Errors: controls.filter((c) => c.result === 'Error').length,
      Failures: controls.filter((c) => c.result === 'Fail').length,
      Warnings: controls.filter((c) => c.result === 'Warning').length,
      Omits: 0,
    };
  }
  return {
    MetaData: {
      TenantId: options.tenantId,
      DisplayName: 'Contoso',
      DomainName: 'contoso.onmicrosoft.com',
      ProductSuite: 'Microsoft 365',
      ProductsAssessed: Object.keys(products).map((product) => `${product} full name`),
      ProductAbbreviationMapping: {},
      Tool: 'ScubaGear',
      ToolVersion: '1.8.0',
      TimestampZulu: options.timestamp ?? '2026-11-21T08:15:02.113Z',
      ReportUUID: options.uuid ?? '0f3a5a36-4a4b-4f8e-a4a9-7a8c1d0e2b11',
    },
    Summary: summary,
    AnnotatedFailedPolicies: {},
    Results: results,
    Raw: {
      baseline_version: '1',
      module_version: '1.8.0',
      timestamp_zulu: options.timestamp ?? '2026-11-21T08:15:02.113Z',
      conditional_access_policies: [
        { displayName: 'Block legacy', state: 'enabled', padding: 'r'.repeat(options.rawPadding ?? 0) },
      ],
    },
  };
}

export function resultsV1(options: {
  tool?: string;
  key?: string;
  directoryId?: string;
  results: {
    key: string;
    title: string;
    severity: string;
    status: string;
    description?: string;
    evidence?: string;
    help_url?: string;
  }[];
}) {
  return {
    format: 'tenantpilot.results.v1',
    tool: options.tool ?? 'secure-score',
    ...(options.directoryId ? { directory_id: options.directoryId } : {}),
    run: {
      type: 'secure_score_review',
      started_at: '2026-11-22T09:00:00Z',
      completed_at: '2026-11-22T09:05:00Z',
      key: options.key ?? 'review-2026-11-22',
    },
    results: options.results,
  };
}

/** A random Entra tenant id (a GUID). */
export function directoryId(): string {
  return crypto.randomUUID();
}
