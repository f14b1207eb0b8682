import { Construct } from "constructs";
import { Fn } from "../../platform/cdktf";
import { DataAwsSecretsmanagerSecretVersion } from "../../platform/aws";
import type { LbListenerDefaultAction, LbListenerMutualAuthentication } from "../../platform/aws";
import type { AuthSettings } from "../../config/auth";
import { MimirTrustStore } from "./trust-store";

export interface MimirListenerAuthProps {
  readonly auth: AuthSettings;
  /** Load balancer name; the trust store gets the same name. */
  readonly name: string;
}

/**
 * What the load balancer's HTTPS listener needs to authenticate clients:
 *  - `mtls`: `mutual_authentication { mode = "verify", trust_store_arn }`
 *    (the TLS handshake fails without a certificate the trust store accepts);
 *  - `oidc`: an `authenticate-oidc` action before every forward, its client
 *    secret read from Secrets Manager at plan time (a reference in config; the
 *    value lives only in Terraform state, like every secret an ALB needs).
 * Other modes add nothing here.
 *
 * `actions` must come first in the default action AND in every listener rule
 * that forwards (an ALB listener rule does not inherit the default action).
 */
export class MimirListenerAuth extends Construct {
  readonly mutualAuthentication?: LbListenerMutualAuthentication;
  readonly actions: LbListenerDefaultAction[] = [];
  readonly trustStore?: MimirTrustStore;

  constructor(scope: Construct, id: string, props: MimirListenerAuthProps) {
    super(scope, id);
    const auth = props.auth;
    if (auth.mode === "mtls") {
      let arn: string;
      if ("arn" in auth.trustStore) {
        arn = auth.trustStore.arn;
      } else {
        this.trustStore = new MimirTrustStore(this, "mtls", { name: props.name, caBundle: auth.trustStore.caBundle, revocations: auth.revocations });
        arn = this.trustStore.arn;
      }
      this.mutualAuthentication = {
        mode: "verify",
        trustStoreArn: arn,
        ignoreClientCertificateExpiry: auth.ignoreClientCertificateExpiry,
        advertiseTrustStoreCaNames: auth.advertiseCaNames ? "on" : "off",
      };
    } else if (auth.mode === "oidc") {
      const secret = new DataAwsSecretsmanagerSecretVersion(this, "oidc-client-secret", { secretId: auth.clientSecretArn });
      const clientSecret = auth.clientSecretJsonKey ? Fn.lookup(Fn.jsondecode(secret.secretString), auth.clientSecretJsonKey) : secret.secretString;
      this.actions.push({
        type: "authenticate-oidc",
        authenticateOidc: {
          issuer: auth.issuer,
          authorizationEndpoint: auth.authorizationEndpoint,
          tokenEndpoint: auth.tokenEndpoint,
          userInfoEndpoint: auth.userInfoEndpoint,
          clientId: auth.clientId,
          clientSecret,
          scope: auth.scope,
          // Never "allow": an unauthenticated request is refused or sent to the identity provider.
          onUnauthenticatedRequest: "authenticate",
          ...(auth.sessionTimeout !== undefined ? { sessionTimeout: auth.sessionTimeout } : {}),
        },
      });
    }
  }
}

/**
 * Put the authentication actions in front of a listener's (or rule's)
 * actions, numbering them: an ALB runs actions by `order`, authenticate first.
 */
export function withAuthActions<A extends { readonly order?: number }>(auth: readonly A[], actions: readonly A[]): A[] {
  if (auth.length === 0) return [...actions];
  return [...auth, ...actions].map((a, i) => ({ ...a, order: i + 1 }));
}
