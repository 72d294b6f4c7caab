// Runs the official Standard Webhooks implementation (npm package "standardwebhooks", pinned in package.json) for
// CallQueue.Tests/Webhooks/StandardWebhookSignerOfficialTests.cs. Reads a JSON array of operations on stdin:
//   {"op": "sign",   "secret": "whsec_…", "id": "…", "timestamp": 1700000000, "body": "…"}
//   {"op": "verify", "secret": "whsec_…", "id": "…", "timestamp": 1700000000, "body": "…", "signature": "v1,… v1,…"}
// and writes a JSON array of results: {"signature": "v1,…"}, or {"ok": true} / {"ok": false, "error": "…"}.
// verify checks the timestamp against this machine's clock (5 minutes either way), as a receiver does.
"use strict";
const { Webhook } = require("standardwebhooks");

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => (input += chunk));
process.stdin.on("end", () => {
  const results = JSON.parse(input).map((operation) => {
    const webhook = new Webhook(operation.secret);
    if (operation.op === "sign") {
      return { signature: webhook.sign(operation.id, new Date(operation.timestamp * 1000), operation.body) };
    }
    try {
      webhook.verify(operation.body, {
        "webhook-id": operation.id,
        "webhook-timestamp": String(operation.timestamp),
        "webhook-signature": operation.signature,
      });
      return { ok: true };
    } catch (error) {
      return { ok: false, error: String(error && error.message) };
    }
  });
  process.stdout.write(JSON.stringify(results));
});
