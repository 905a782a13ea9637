// app.js - the service of `bench_gen spec ROUTES` written with the AWS CDK,
// so that `cdk synth` and `svcgen generate --only cfn` produce the same
// kind of template from the same description: 10 tables (PK/SK, one GSI
// by_a), a REST API with ROUTES/2 paths /rN/items/{id}, GET and PUT on each,
// one provided.al2023 arm64 function per route (256 MB, 10 s, X-Ray
// active, code from an artifact bucket given as parameters), its log
// group (14 days) and least-privilege grants: GET reads the table and
// queries the next table's index, PUT updates its table.
//
//   ROUTES=60 cdk synth --app "node app.js" -q
'use strict';
// The CDK is installed where bench/run.sh runs `cdk synth` ($BUILD/bench-cdk),
// not beside this file: resolve it from there.
const req = require('module').createRequire(`${process.cwd()}/`);
const cdk = req('aws-cdk-lib');
const { aws_apigateway: apigw, aws_dynamodb: ddb, aws_lambda: lambda,
        aws_logs: logs, aws_s3: s3, aws_iam: iam } = cdk;

const routes = parseInt(process.env.ROUTES || '60', 10);
// CDK refuses more than 500 resources itself; it makes more resources than
// svcgen for the same service (a permission per method and stage, say).
const app = new cdk.App({ context: { '@aws-cdk/core:stackResourceLimit': 0 } });
const stack = new cdk.Stack(app, 'bench-dev');
const bucket = s3.Bucket.fromBucketName(stack, 'Artifacts',
  new cdk.CfnParameter(stack, 'ArtifactBucket').valueAsString);
const prefix = new cdk.CfnParameter(stack, 'ArtifactPrefix', { default: '' }).valueAsString;

const tables = [];
for (let t = 0; t < 10; t++) {
  const table = new ddb.Table(stack, `T${t}Table`, {
    tableName: `bench-dev-t${t}`,
    partitionKey: { name: 'PK', type: ddb.AttributeType.STRING },
    sortKey: { name: 'SK', type: ddb.AttributeType.STRING },
    billingMode: ddb.BillingMode.PAY_PER_REQUEST,
    pointInTimeRecovery: true,
    removalPolicy: cdk.RemovalPolicy.RETAIN,
  });
  table.addGlobalSecondaryIndex({ indexName: 'by_a',
    partitionKey: { name: 'A', type: ddb.AttributeType.STRING } });
  tables.push(table);
}

const api = new apigw.RestApi(stack, 'Api', {
  restApiName: 'bench-dev', deployOptions: { stageName: 'dev', tracingEnabled: true },
});

function fn(name) {
  const group = new logs.LogGroup(stack, `${name}LogGroup`, {
    logGroupName: `/aws/lambda/bench-dev-${name}`, retention: logs.RetentionDays.TWO_WEEKS,
    removalPolicy: cdk.RemovalPolicy.DESTROY,
  });
  return new lambda.Function(stack, `${name}Function`, {
    functionName: `bench-dev-${name}`,
    runtime: lambda.Runtime.PROVIDED_AL2023, architecture: lambda.Architecture.ARM_64,
    handler: 'bootstrap', memorySize: 256, timeout: cdk.Duration.seconds(10),
    tracing: lambda.Tracing.ACTIVE, logGroup: group,
    code: lambda.Code.fromBucket(bucket, `${prefix}${name}.zip`),
  });
}

for (let r = 0; r < routes; r += 2) {
  const res = api.root.addResource(`r${r / 2}`).addResource('items').addResource('{id}');
  const get = fn(`get_${r / 2}`);
  tables[r % 10].grant(get, 'dynamodb:GetItem', 'dynamodb:BatchGetItem');
  get.addToRolePolicy(new iam.PolicyStatement({ actions: ['dynamodb:Query'],
    resources: [`${tables[(r + 1) % 10].tableArn}/index/by_a`] }));
  res.addMethod('GET', new apigw.LambdaIntegration(get));
  if (r + 1 < routes) {
    const put = fn(`put_${r / 2}`);
    tables[(r + 1) % 10].grant(put, 'dynamodb:UpdateItem', 'dynamodb:ConditionCheckItem');
    res.addMethod('PUT', new apigw.LambdaIntegration(put));
  }
}
app.synth();
