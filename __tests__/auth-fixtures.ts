/** Authentication settings the auth and entry suites share: a CA bundle in S3 and an OIDC provider whose client secret is a Secrets Manager reference. */
export const CA = { bucket: "acme-mimir-pki", key: "agents-ca.pem" };
export const SECRET_ARN = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:mimir/oidc-AbCdEf";
export const OIDC = {
  mode: "oidc",
  issuer: "https://login.example.com",
  authorizationEndpoint: "https://login.example.com/authorize",
  tokenEndpoint: "https://login.example.com/token",
  userInfoEndpoint: "https://login.example.com/userinfo",
  clientId: "mimir-ui",
  clientSecretArn: SECRET_ARN,
  tenant: "team-a",
};
