// tsmls_common.mjs — helpers shared by the ts-mls interop scripts: hex,
// a check counter, suite lookup and member key packages.
import * as mls from "ts-mls";
import { p256, p384, p521 } from "@noble/curves/nist.js";

// RFC 9420 §17.1 suites 1..7: every suite both ts-mls (with its optional
// peer dependencies installed) and mimi implement.
export const SUITES = [1, 2, 3, 4, 5, 6, 7];

export const hex = (b) => Buffer.from(b).toString("hex");
export const unhex = (s) => new Uint8Array(Buffer.from(s, "hex"));

export async function suiteImpl(id) {
  const name = Object.keys(mls.ciphersuites).find((k) => mls.ciphersuites[k] === id);
  return mls.getCiphersuiteImpl(mls.getCiphersuiteFromName(name));
}

export function checker(name) {
  let checks = 0, failures = 0;
  return {
    check(ok, what) {
      checks++;
      if (!ok) {
        failures++;
        console.log(`FAIL: ${what}`);
      }
    },
    summary() {
      console.log(`${name}: ${checks} checks, ${failures} failures`);
      return failures === 0 ? 0 : 1;
    },
  };
}

// ts-mls 1.6.4 gives ECDSA signature keys as compressed points (noble's
// getPublicKey default), but RFC 9420 §5.1.1 requires the uncompressed
// point; mimi rejects the compressed form (docs/interop.md). So for the
// ECDSA suites the test makes the key pair itself, uncompressed, and hands it
// to ts-mls, whose verifier accepts both forms.
const ECDSA = { 2: p256, 5: p521, 7: p384 };
export const isEcdsa = (suite) => ECDSA[suite] !== undefined;

export async function makeMember(name, impl, suite) {
  const cred = { credentialType: "basic", identity: new TextEncoder().encode(name) };
  const curve = suite === undefined ? undefined : ECDSA[suite];
  if (curve === undefined)
    return mls.generateKeyPackage(cred, mls.defaultCapabilities(), mls.defaultLifetime, [], impl);
  const signKey = curve.utils.randomSecretKey();
  return mls.generateKeyPackageWithKey(cred, mls.defaultCapabilities(), mls.defaultLifetime, [],
    { signKey, publicKey: curve.getPublicKey(signKey, false) }, impl);
}

// Private keys are local, not wire (RFC 9420 leaves their format open):
// ts-mls's WebCrypto Ed25519 keys are PKCS#8 DER, ours the RFC 8032 seed.
const PKCS8_ED25519 = "302e020100300506032b657004220420";
export function rawSignatureKey(k) {
  const h = hex(k);
  return h.length === 96 && h.startsWith(PKCS8_ED25519) ? k.slice(16) : k;
}
