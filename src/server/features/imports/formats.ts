import { AppError } from '../../core/errors.ts';
import { type Assessment, type Format, isObject, Problems } from './fields.ts';
import { MAESTER_KEEP, readMaester } from './maester.ts';
import { type Keep, readJsonDocument } from './read-json.ts';
import { readResultsV1, V1_FORMAT, V1_KEEP } from './results-v1.ts';
import { readScubaGear, SCUBA_KEEP } from './scubagear.ts';

type KeepTree = Exclude<Keep, true>;

/** What any of the three formats reads; the rest of a file is dropped while it streams past. */
const KEEP: Keep = {
  keys: {
    ...(MAESTER_KEEP as KeepTree).keys,
    ...(SCUBA_KEEP as KeepTree).keys,
    ...(V1_KEEP as KeepTree).keys,
    // `results` is an object of products in ScubaGear and an array of results in v1.
    results: { ...((SCUBA_KEEP as KeepTree).keys?.results as KeepTree), items: true },
  },
};

export interface ReadFile {
  format: Format;
  assessments: Assessment[];
}

/**
 * docs/rules.md "Imports": reads a result file from its bytes, detects its format and returns each tenant's
 * assessment. A malformed file is one 422 naming each problem by its JSON path; nothing has been written.
 */
export async function readResultFile(source: AsyncIterable<Buffer | string>): Promise<ReadFile> {
  const { root, droppedRootKeys } = await readJsonDocument(source, KEEP);
  if (!isObject(root)) {
    throw new AppError('invalid', 'The file is not a result file', { $: 'must be a JSON object' });
  }
  const problems = new Problems();
  let format: Format;
  let assessments: Assessment[];
  if (root.format !== undefined) {
    if (root.format !== V1_FORMAT) {
      throw new AppError('invalid', 'The file names a format TenantPilot does not read', {
        '$.format': `must be ${V1_FORMAT}`,
      });
    }
    format = V1_FORMAT;
    assessments = readResultsV1(root, droppedRootKeys, problems);
  } else if (root.tests !== undefined || root.tenants !== undefined) {
    format = 'maester';
    assessments = readMaester(root, problems);
  } else if (root.metadata !== undefined || root.results !== undefined) {
    format = 'scubagear';
    assessments = readScubaGear(root, problems);
  } else {
    throw new AppError('invalid', 'The file is not a Maester, ScubaGear or tenantpilot.results.v1 file', {
      $: 'must have Tests or Tenants (Maester), MetaData and Results (ScubaGear) or format (tenantpilot.results.v1)',
    });
  }
  problems.throwIfAny(format === V1_FORMAT ? V1_FORMAT : format === 'maester' ? 'Maester' : 'ScubaGear');
  return { format, assessments };
}
