// Schema of certificates.k8s.io/v1 (kubectl certificate approve|deny PUTs the CSR); see meta.ts for the conventions.
export const CERTIFICATES_V1_PROTO = `
syntax = "proto3";
package certificates;

message ExtraValue { repeated string items = 1; }
message CertificateSigningRequest {
  meta.ObjectMeta metadata = 1;
  CertificateSigningRequestSpec spec = 2;
  CertificateSigningRequestStatus status = 3;
}
message CertificateSigningRequestSpec {
  bytes request = 1;
  string username = 2;
  string uid = 3;
  repeated string groups = 4;
  repeated string usages = 5;
  map<string, ExtraValue> extra = 6;
  string signerName = 7;
  optional int32 expirationSeconds = 8;
}
message CertificateSigningRequestStatus {
  repeated CertificateSigningRequestCondition conditions = 1;
  bytes certificate = 2;
}
message CertificateSigningRequestCondition {
  string type = 1;
  string reason = 2;
  string message = 3;
  meta.Time lastUpdateTime = 4;
  meta.Time lastTransitionTime = 5;
  string status = 6;
}
`;
