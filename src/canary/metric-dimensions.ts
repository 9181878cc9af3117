// CloudWatch names an Application Load Balancer and its target groups by the
// ends of their ARNs (the LoadBalancer and TargetGroup dimensions). The catalog
// holds ARNs: these read the dimension values out of them.

const LOAD_BALANCER =
  /^arn:[^:]+:elasticloadbalancing:[^:]*:[^:]*:(?:listener-rule|listener|loadbalancer)\/(app\/[^/]+\/[^/]+)(?:\/|$)/;
const TARGET_GROUP = /^arn:[^:]+:elasticloadbalancing:[^:]*:[^:]*:(targetgroup\/[^/]+\/[^/]+)$/;

/** `app/<name>/<id>` from a load balancer, listener or listener rule ARN; anything else as given. */
export function loadBalancerDimension(value: string): string {
  return LOAD_BALANCER.exec(value)?.[1] ?? value;
}

/** `targetgroup/<name>/<id>` from a target group ARN; anything else as given. */
export function targetGroupDimension(value: string): string {
  return TARGET_GROUP.exec(value)?.[1] ?? value;
}
