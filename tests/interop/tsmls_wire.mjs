// tsmls_wire.mjs — phase-1 interop with ts-mls, an independent RFC 9420
// implementation. For every suite both sides support, ts-mls runs a group
// through five epochs (create; add two; path update; remove + add; path
// update) and dumps every wire object and per-epoch value it can expose. Our
// C program (argv[2]) checks them with our code and answers with objects our
// code built, which ts-mls must then accept.
//
//   node tsmls_wire.mjs <test_interop_wire binary> <work dir>
//
// Exit status: 0 all passed, 1 a check failed.
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import * as mls from "ts-mls";
import { encodeRatchetTree } from "ts-mls/ratchetTree.js";
import { treeHashRoot } from "ts-mls/treeHash.js";
import { verifyKeyPackage, makeKeyPackageRef } from "ts-mls/keyPackage.js";
import { SUITES, hex, unhex, checker, makeMember, suiteImpl, rawSignatureKey, isEcdsa } from "./tsmls_common.mjs";

const [, , cBinary, workDir] = process.argv;
if (!cBinary || !workDir) {
  console.error("usage: node tsmls_wire.mjs <c-binary> <work-dir>");
  process.exit(2);
}
mkdirSync(workDir, { recursive: true });
const { check, summary } = checker("tsmls_wire (ts-mls side)");
const EXPORT_LABEL = "mimi interop";
const EXPORT_CONTEXT = new TextEncoder().encode("exporter context");
const enc = (m) => hex(mls.encodeMlsMessage({ version: "mls10", ...m }));

async function epochRecord(state, impl) {
  const gi = await mls.createGroupInfoWithExternalPubAndRatchetTree(state, [], impl);
  return {
    epoch: Number(state.groupContext.epoch),
    tree: hex(encodeRatchetTree(state.ratchetTree)),
    tree_hash: hex(await treeHashRoot(state.ratchetTree, impl.hash)),
    group_info: enc({ wireformat: "mls_group_info", groupInfo: gi }),
    epoch_authenticator: hex(state.keySchedule.epochAuthenticator),
    exporter: hex(await mls.mlsExporter(state.keySchedule.exporterSecret, EXPORT_LABEL,
                                        EXPORT_CONTEXT, 32, impl)),
    app_messages: [],
  };
}

async function send(rec, state, leaf, text, impl) {
  const data = new TextEncoder().encode(text);
  const r = await mls.createApplicationMessage(state, data, impl);
  rec.app_messages.push({
    sender: leaf,
    plaintext: hex(data),
    message: enc({ wireformat: "mls_private_message", privateMessage: r.privateMessage }),
  });
  return r.newState;
}

async function receive(state, msg, impl) {
  const m = mls.decodeMlsMessage(msg, 0)[0];
  const r = m.wireformat === "mls_public_message"
    ? await mls.processPublicMessage(state, m.publicMessage, mls.emptyPskIndex, impl)
    : await mls.processPrivateMessage(state, m.privateMessage, mls.emptyPskIndex, impl);
  return r;
}

async function commit(state, impl, opts) {
  const r = await mls.createCommit({ state, cipherSuite: impl }, opts);
  const c = mls.encodeMlsMessage(r.commit);
  return { state: r.newState, commit: c, welcome: r.welcome };
}

// The group's life, recording what the C side checks. Members: alice(0)
// creates; bob(1), carol(2) join in epoch 1; bob updates (epoch 2, a
// PublicMessage commit); bob removes alice and adds dave (epoch 3); dave
// updates (epoch 4). Carol is the member the C side replays.
async function scenario(suite, impl) {
  const names = ["alice", "bob", "carol", "dave"];
  const m = {};
  for (const n of names) m[n] = await makeMember(n, impl, suite);
  const groupId = new TextEncoder().encode(`interop group ${suite}`);
  const out = { suite, group_id: hex(groupId), members: {}, epochs: [] };
  for (const n of names) {
    out.members[n] = {
      key_package: enc({ wireformat: "mls_key_package", keyPackage: m[n].publicPackage }),
      key_package_ref: hex(await makeKeyPackageRef(m[n].publicPackage, impl.hash)),
      init_priv: hex(m[n].privatePackage.initPrivateKey),
      hpke_priv: hex(m[n].privatePackage.hpkePrivateKey),
      sig_priv: hex(rawSignatureKey(m[n].privatePackage.signaturePrivateKey)),
    };
  }
  if (isEcdsa(suite)) { // ts-mls's own key pair: a compressed point (docs/interop.md D1)
    const kp = await makeMember("eve", impl);
    out.compressed_key_package = enc({ wireformat: "mls_key_package", keyPackage: kp.publicPackage });
  }
  const st = {};
  st.alice = await mls.createGroup(groupId, m.alice.publicPackage, m.alice.privatePackage, [], impl);
  out.epochs.push(await epochRecord(st.alice, impl));

  // epoch 1: alice adds bob and carol (PrivateMessage, no path)
  let c = await commit(st.alice, impl, {
    extraProposals: ["bob", "carol"].map((n) => ({ proposalType: "add", add: { keyPackage: m[n].publicPackage } })),
    ratchetTreeExtension: true,
  });
  st.alice = c.state;
  for (const n of ["bob", "carol"])
    st[n] = await mls.joinGroup(c.welcome, m[n].publicPackage, m[n].privatePackage, mls.emptyPskIndex, impl);
  let rec = await epochRecord(st.alice, impl);
  rec.commit = hex(c.commit);
  rec.committer = 0;
  rec.welcome = enc({ wireformat: "mls_welcome", welcome: c.welcome });
  rec.joiners = ["bob", "carol"];
  st.alice = await send(rec, st.alice, 0, "hello from alice, epoch 1", impl);
  st.bob = await send(rec, st.bob, 1, "hello from bob, epoch 1", impl);
  st.alice = await send(rec, st.alice, 0, "alice again, epoch 1", impl);
  out.epochs.push(rec);

  // epoch 2: bob commits a path update as a PublicMessage
  c = await commit(st.bob, impl, { wireAsPublicMessage: true });
  st.bob = c.state;
  for (const n of ["alice", "carol"]) st[n] = (await receive(st[n], c.commit, impl)).newState;
  rec = await epochRecord(st.bob, impl);
  rec.commit = hex(c.commit);
  rec.committer = 1;
  st.carol = await send(rec, st.carol, 2, "carol here, epoch 2", impl);
  st.alice = await send(rec, st.alice, 0, "alice, epoch 2", impl);
  out.epochs.push(rec);

  // epoch 3: bob removes alice and adds dave (PrivateMessage with a path)
  c = await commit(st.bob, impl, {
    extraProposals: [
      { proposalType: "remove", remove: { removed: 0 } },
      { proposalType: "add", add: { keyPackage: m.dave.publicPackage } },
    ],
    ratchetTreeExtension: true,
  });
  st.bob = c.state;
  st.carol = (await receive(st.carol, c.commit, impl)).newState;
  st.dave = await mls.joinGroup(c.welcome, m.dave.publicPackage, m.dave.privatePackage, mls.emptyPskIndex, impl);
  rec = await epochRecord(st.bob, impl);
  rec.commit = hex(c.commit);
  rec.committer = 1;
  rec.welcome = enc({ wireformat: "mls_welcome", welcome: c.welcome });
  rec.joiners = ["dave"];
  st.dave = await send(rec, st.dave, 0, "dave, epoch 3", impl);
  st.bob = await send(rec, st.bob, 1, "bob, epoch 3", impl);
  out.epochs.push(rec);

  // epoch 4: dave commits a path update (PrivateMessage)
  c = await commit(st.dave, impl, {});
  st.dave = c.state;
  for (const n of ["bob", "carol"]) st[n] = (await receive(st[n], c.commit, impl)).newState;
  rec = await epochRecord(st.dave, impl);
  rec.commit = hex(c.commit);
  rec.committer = 0;
  st.bob = await send(rec, st.bob, 1, "bob, epoch 4", impl);
  out.epochs.push(rec);
  return { out, st };
}

const ours = {};
const gen = { tsmls_version: "1.6.4", export_label: hex(new TextEncoder().encode(EXPORT_LABEL)),
              export_context: hex(EXPORT_CONTEXT), suites: [] };
for (const suite of SUITES) {
  const impl = await suiteImpl(suite);
  const { out, st } = await scenario(suite, impl);
  gen.suites.push(out);
  ours[suite] = { st, impl };
}
const genPath = join(workDir, "tsmls_wire.json");
const answerPath = join(workDir, "mimi_wire.json");
writeFileSync(genPath, JSON.stringify(gen, null, 1));

const r = spawnSync(cBinary, [genPath, answerPath], { stdio: "inherit" });
check(r.status === 0, `C checks passed (exit ${r.status}${r.error ? ", " + r.error : ""})`);

// What our code produced, through ts-mls.
let answer = { suites: [] };
try {
  answer = JSON.parse(readFileSync(answerPath, "utf8"));
} catch (e) {
  check(false, `read ${answerPath}: ${e}`);
}
for (const a of answer.suites) {
  const { st, impl } = ours[a.suite];
  const tag = `suite ${a.suite}`;
  // our KeyPackage: decodes, verifies, and is accepted into a commit
  const kpMsg = mls.decodeMlsMessage(unhex(a.key_package), 0);
  check(kpMsg && kpMsg[0].wireformat === "mls_key_package", `${tag}: our KeyPackage decodes`);
  if (!kpMsg) continue;
  const kp = kpMsg[0].keyPackage;
  check(hex(mls.encodeMlsMessage(kpMsg[0])) === a.key_package, `${tag}: our KeyPackage re-encodes byte-exact`);
  check(await verifyKeyPackage(kp, impl.signature), `${tag}: our KeyPackage signature verifies`);
  check(hex(await makeKeyPackageRef(kp, impl.hash)) === a.key_package_ref, `${tag}: KeyPackageRef agrees`);
  try {
    const c = await mls.createCommit({ state: st.bob, cipherSuite: impl },
      { extraProposals: [{ proposalType: "add", add: { keyPackage: kp } }] });
    check(c.welcome !== undefined, `${tag}: ts-mls adds our KeyPackage`);
  } catch (e) {
    check(false, `${tag}: ts-mls adds our KeyPackage: ${e}`);
  }
  // our PrivateMessage, as carol (leaf 2) in the last epoch
  for (const who of ["bob", "dave"]) {
    try {
      const res = await receive(st[who], unhex(a.app_message), impl);
      check(res.kind === "applicationMessage" && hex(res.message) === a.app_plaintext,
            `${tag}: ${who} decrypts our PrivateMessage`);
    } catch (e) {
      check(false, `${tag}: ${who} decrypts our PrivateMessage: ${e}`);
    }
  }
  // our commits (path updates, public then private), each followed by a
  // message: bob and dave process them and reach our epoch_authenticator
  for (const [i, step] of (a.commits ?? []).entries()) {
    for (const who of ["bob", "dave"]) {
      const what = `${tag}: ${who} processes our ${i === 0 ? "public" : "private"} commit`;
      try {
        const res = await receive(st[who], unhex(step.commit), impl);
        st[who] = res.newState;
        check(res.newState !== undefined && res.kind !== "applicationMessage", what);
        check(hex(st[who].keySchedule.epochAuthenticator) === step.epoch_authenticator,
              `${what}: epoch_authenticator agrees`);
        check(hex(encodeRatchetTree(st[who].ratchetTree)) === step.tree, `${what}: tree agrees`);
        const m = await receive(st[who], unhex(step.app_message), impl);
        st[who] = m.newState;
        check(m.kind === "applicationMessage" && hex(m.message) === step.app_plaintext,
              `${what}: then decrypts our message`);
      } catch (e) {
        check(false, `${what}: ${e}`);
      }
    }
  }
  check((a.commits ?? []).length === 2, `${tag}: two commits from us`);
  // our encoding of the last tree is ts-mls's
  check(a.tree === gen.suites.find((s) => s.suite === a.suite).epochs.at(-1).tree,
        `${tag}: our tree encoding equals ts-mls's`);
}
check(answer.suites.length === SUITES.length, `answers for all ${SUITES.length} suites`);
process.exit(summary());
