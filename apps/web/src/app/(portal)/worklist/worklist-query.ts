import { graphql, type ResultOf } from '../../../graphql/graphql';

export const WorklistQuery = graphql(`
  query Worklist($filter: WorklistFilter, $sort: WorklistSort!) {
    worklist(filter: $filter, sort: $sort, first: 50) {
      edges {
        node {
          id
          arrivedAt
          site
          status
          aiProbability
          aiLabel
          read
          finalReadAt
          description
          views {
            view
          }
          patient {
            name
            patientId
          }
          prediction {
            modelVersion {
              id
              name
              version
              syntheticData
            }
          }
        }
      }
      pageInfo {
        hasNextPage
      }
    }
  }
`);

export type WorklistRow = ResultOf<typeof WorklistQuery>['worklist']['edges'][number]['node'];
