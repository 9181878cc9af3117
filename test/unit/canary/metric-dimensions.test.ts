import { describe, expect, it } from '@jest/globals';
import { loadBalancerDimension, targetGroupDimension } from '../../../src/canary/metric-dimensions.ts';

// The catalog's ARNs, as the AWS ELB documentation spells them, to CloudWatch's dimension values.
describe('metric dimensions', () => {
  it('reads app/<name>/<id> from a listener rule, listener or load balancer ARN', () => {
    const rule =
      'arn:aws:elasticloadbalancing:us-east-1:123456789012:listener-rule/app/shop/50dc6c495c0c9188/f2f7dc8efc522ab2/9683b2d02a6cabee';
    expect(loadBalancerDimension(rule)).toBe('app/shop/50dc6c495c0c9188');
    expect(
      loadBalancerDimension(
        'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/shop/50dc6c495c0c9188',
      ),
    ).toBe('app/shop/50dc6c495c0c9188');
    expect(loadBalancerDimension('app/shop/50dc6c495c0c9188')).toBe('app/shop/50dc6c495c0c9188');
  });

  it('reads targetgroup/<name>/<id> from a target group ARN and leaves anything else as given', () => {
    expect(
      targetGroupDimension(
        'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/shop-green/73e2d6bc24d8a067',
      ),
    ).toBe('targetgroup/shop-green/73e2d6bc24d8a067');
    expect(targetGroupDimension('arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/app/x/1')).toBe(
      'arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/app/x/1',
    );
  });
});
