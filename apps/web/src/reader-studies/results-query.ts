import { graphql, type ResultOf } from '../graphql/graphql';

const Figures = graphql(`
  fragment StudyFigures on DiagnosticFigures {
    cases
    auc {
      value
      lower
      upper
      reason
      method
    }
    sensitivity {
      value
      lower
      upper
      reason
    }
    specificity {
      value
      lower
      upper
      reason
    }
    f1 {
      value
      lower
      upper
      reason
    }
  }
`);

export const ReaderStudyResultsQuery = graphql(
  `
    query ReaderStudyResults($id: ID!) {
      readerStudyResults(id: $id) {
        study {
          id
          name
          mode
          status
        }
        cases
        casesWithGroundTruth
        reads
        readerScoreMapping
        modelVersion {
          name
          version
          syntheticData
        }
        ai {
          casesRead
          medianSecondsPerCase
          totalMinutes
          figures {
            ...StudyFigures
          }
        }
        aiAucBootstrap {
          value
          lower
          upper
          reason
          method
        }
        readers {
          reader {
            id
            name
          }
          casesRead
          medianSecondsPerCase
          totalMinutes
          figures {
            ...StudyFigures
          }
        }
        readerAuc {
          median
          q1
          q3
          iqr
          readers
          reason
        }
        readerF1 {
          median
          q1
          q3
          iqr
          readers
          reason
        }
        readings {
          caseNumber
          reader {
            name
          }
          verdict
          confidence
          comment
          timeSpentMs
          aiVisible
          groundTruthMbd
          readAt
        }
      }
    }
  `,
  [Figures],
);

export type ReaderStudyResults = ResultOf<typeof ReaderStudyResultsQuery>['readerStudyResults'];
