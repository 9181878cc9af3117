/** A command-line mistake: printed with the usage, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const globalUsage = `Usage: release <command> [options]

Commands:
  push <repository>:<tag>   push an image tag to ECR (starts a release)
  status                    recent releases: id, service, environment, image, state, outcome, duration
  watch <release>           follow a release state by state until it ends
  logs <release>            a release's full execution history, with inputs, results and errors
  promote <service>         skip the rest of a running canary release's analysis and steps
  abort <service>           roll a running release back now, without analysis
  slack "/release …"        play Slack against the sandbox: a signed slash command (or --click approve <id>)
  github-release <owner/repo> <tag>
                            send GitHub's signed "release published" webhook (releases that tag to production)
  rotate <parameter>        rotate one of the catalog's secrets now (its SSM parameter name)
  secrets list              the catalog's secrets, their schedules and latest versions (never values)
  secrets history <param>   every version of a secret: date, labels, who (never values)
  doctor                    is the stack, its SSM parameters and every catalog target ready? ✔/✘ with fixes
  slack-manifest            the Slack app manifest (and GitHub webhook settings) for the deployed stack
  dashboard [--port <n>]    serve the release dashboard (timeline, states, canary charts, alarms) on 127.0.0.1
  metrics                   the four keys (DORA) per service and environment, and cost per month
  audit                     export the audit ledger's events (--format jsonl|csv)
  target-role [--account A] the CloudFormation template of the deployment role a target account needs

Options for every command:
  --endpoint-url <url>      AWS endpoint (default: the local sandbox, http://127.0.0.1:4566)
  --aws                     use real AWS (your credentials and region) instead of the sandbox
  --region <region>         AWS region (default: $AWS_REGION or us-east-1)
  --stage <stage>           the deployed stage whose tables and state machine to use (default: dev)
  -h, --help                help for a command

Run "release help <command>" or "release <command> --help" for a command's own options.`;
