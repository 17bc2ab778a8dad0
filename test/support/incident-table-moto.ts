import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { incidentTableDefinition } from '../../alerts/incident-store';
import { awsClientConfig, type MotoServer } from '../../demo/local/moto';

/**
 * DynamoDB and SNS clients on `moto` (none when moto_server is missing: the endpoint is empty and
 * the suite is skipped) and `freshStart`, which empties moto, creates the incident table `table`
 * and the SNS topics named `topics`, and returns their ARNs in that order.
 */
export const incidentTableOnMoto = (moto: MotoServer | undefined) => {
  const endpoint = moto?.endpoint ?? '';
  const dynamodb = new DynamoDBClient(awsClientConfig(endpoint));
  const sns = new SNSClient(awsClientConfig(endpoint));
  const freshStart = async (table: string, ...topics: string[]): Promise<string[]> => {
    await moto?.reset();
    await dynamodb.send(new CreateTableCommand(incidentTableDefinition(table)));
    const arns: string[] = [];
    for (const Name of topics) arns.push((await sns.send(new CreateTopicCommand({ Name }))).TopicArn ?? '');
    return arns;
  };
  return { endpoint, dynamodb, sns, freshStart };
};
