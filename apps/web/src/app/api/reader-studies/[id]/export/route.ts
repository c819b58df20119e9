import { ApiError } from '../../../../../graphql/request';
import { queryAsViewer } from '../../../../../graphql/server';
import { ReaderStudyResultsQuery } from '../../../../../reader-studies/results-query';
import { resultsWorkbook } from '../../../../../reader-studies/results-workbook';

const STATUS: Record<string, number> = { UNAUTHENTICATED: 401, FORBIDDEN: 403, NOT_FOUND: 404, BAD_USER_INPUT: 400, API_UNREACHABLE: 502 };

/** The study's results as an .xlsx file: one row per reader (and the AI), and a summary sheet. */
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await params;
  try {
    const { readerStudyResults } = await queryAsViewer(ReaderStudyResultsQuery, { id });
    const bytes = await resultsWorkbook(readerStudyResults);
    const filename = `reader-study-${readerStudyResults.study.name.replace(/[^\w.-]+/g, '_')}.xlsx`;
    return new Response(bytes, {
      headers: {
        'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        'content-disposition': `attachment; filename="${filename}"`,
      },
    });
  } catch (error) {
    if (error instanceof ApiError) return Response.json({ error: error.message }, { status: STATUS[error.code] ?? 500 });
    throw error;
  }
}
