/**
 * The authorization server's endpoints, one file each, in the order they are registered. app.ts
 * registers them after the /v1 routes; each is described in the OpenAPI document (see ../openapi.ts).
 */
import * as authorize from "./oauth_authorize";
import * as consent from "./oauth_consent";
import * as deviceDecision from "./oauth_device_decision";
import * as deviceGet from "./oauth_device_get";
import * as deviceAuthorization from "./oauth_deviceAuthorization";
import * as forgotPasswordGet from "./oauth_forgotPassword_get";
import * as forgotPasswordSend from "./oauth_forgotPassword_send";
import * as introspect from "./oauth_introspect";
import * as login from "./oauth_login";
import * as logout from "./oauth_logout";
import * as mfaGet from "./oauth_mfa_get";
import * as mfaVerify from "./oauth_mfa_verify";
import * as mfaEnrolConfirm from "./oauth_mfaEnrol_confirm";
import * as mfaEnrolGet from "./oauth_mfaEnrol_get";
import * as registerClient from "./oauth_register";
import * as resetPasswordGet from "./oauth_resetPassword_get";
import * as resetPasswordSet from "./oauth_resetPassword_set";
import * as revoke from "./oauth_revoke";
import * as signupCreate from "./oauth_signup_create";
import * as signupGet from "./oauth_signup_get";
import * as token from "./oauth_token";
import * as userinfo from "./oauth_userinfo";
import * as verifyEmail from "./oauth_verifyEmail";
import * as verifyEmailConfirm from "./oauth_verifyEmail_confirm";
import * as verifyEmailResend from "./oauth_verifyEmail_resend";
import * as discovery from "./wellKnown_discovery";
import * as jwks from "./wellKnown_jwks";
import * as smartConfiguration from "./wellKnown_smartConfiguration";

export const oauthRoutes = [
  discovery,
  jwks,
  smartConfiguration,
  authorize,
  login,
  mfaGet,
  mfaVerify,
  mfaEnrolGet,
  mfaEnrolConfirm,
  consent,
  deviceGet,
  deviceDecision,
  signupGet,
  signupCreate,
  verifyEmail,
  verifyEmailConfirm,
  verifyEmailResend,
  forgotPasswordGet,
  forgotPasswordSend,
  resetPasswordGet,
  resetPasswordSet,
  logout,
  deviceAuthorization,
  token,
  revoke,
  introspect,
  userinfo,
  registerClient,
];
