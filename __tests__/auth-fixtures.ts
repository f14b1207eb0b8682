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

/** Bearer tokens at the Gateway API entry: an identity provider's issuer and public keys, Mimir's audience. */
export const JWT = {
  mode: "jwt",
  issuer: "https://login.example.com/realms/acme",
  jwksUri: "https://login.example.com/realms/acme/protocol/openid-connect/certs",
  audiences: ["mimir"],
  tenant: "team-a",
  jwksEgress: { cidrs: ["203.0.113.0/24"] },
};
/** A syntactically real JWT (header {"alg":"HS256","typ":"JWT"}): what must never be pasted into config. */
export const A_TOKEN = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhZ2VudCIsImF1ZCI6Im1pbWlyIn0.hunter2SignatureVerySecret";
