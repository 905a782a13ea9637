// fun_emulator.js - a stand-in for the AWS Lambda Runtime Interface Emulator
// (aws-lambda-rie) when that cannot be installed: the Lambda Runtime API is
// served by @vercel/fun (an independent implementation: it starts the
// function's `bootstrap` with AWS_LAMBDA_RUNTIME_API pointing at its own
// server, and freezes the process between invocations as Lambda does), and
// this script only adds RIE's invoke endpoint in front of it, so
// tests/suites/handlers_rie.sh drives both the same way:
//
//   node fun_emulator.js PORT TASK_DIR FUNCTION_NAME
//   POST http://127.0.0.1:PORT/2015-03-31/functions/function/invocations
//        body: the event; answer: the function's response payload, or its
//        error document with the header X-Amz-Function-Error (as Lambda's
//        Invoke API marks errors)
//
// Listens on 127.0.0.1 only; exits on SIGTERM or when stdin closes.
'use strict';
const http = require('node:http');
const path = require('node:path');
const { createFunction } = require('@vercel/fun');

async function main() {
	const [port, taskDir, name] = process.argv.slice(2);
	if (!port || !taskDir || !name) {
		console.error('usage: fun_emulator.js PORT TASK_DIR FUNCTION_NAME');
		process.exit(2);
	}
	const fn = await createFunction({
		Code: { Directory: path.resolve(taskDir) },
		Handler: 'bootstrap',
		Runtime: 'provided',
		FunctionName: name,
		MemorySize: 128,
		Timeout: 10,
		Environment: { Variables: { LOG_LEVEL: 'info' } },
	});
	const server = http.createServer((req, res) => {
		if (req.method !== 'POST' ||
		    req.url !== '/2015-03-31/functions/function/invocations') {
			res.statusCode = 404;
			res.end();
			return;
		}
		const chunks = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', async () => {
			try {
				const result = await fn.invoke({
					InvocationType: 'RequestResponse',
					Payload: Buffer.concat(chunks).toString('utf8'),
				});
				if (result.FunctionError)
					res.setHeader('X-Amz-Function-Error', result.FunctionError);
				res.statusCode = 200;
				res.end(result.Payload === undefined ? '' : String(result.Payload));
			} catch (err) {
				res.statusCode = 502;
				res.end(JSON.stringify({ errorMessage: String(err) }));
			}
		});
	});
	const stop = async () => {
		server.close();
		try { await fn.destroy(); } catch (e) { /* already gone */ }
		process.exit(0);
	};
	process.on('SIGTERM', stop);
	process.on('SIGINT', stop);
	server.listen(Number(port), '127.0.0.1', () => console.log(`listening on 127.0.0.1:${port}`));
}

main().catch((err) => {
	console.error(err);
	process.exit(1);
});
