// tsmls_group.mjs — phase-2 interop: whole groups mixing ts-mls members with
// one mimi member (our mls_group engine, run as interop_peer over a line
// protocol). For every suite both implement, two scenarios:
//   A  ts-mls creates the group; we join from its Welcome, exchange
//      messages, process its commits (update/add/remove), commit ourselves
//      (update, add — a ts-mls client joins from OUR Welcome — and remove),
//      and are finally removed. Our handshake messages are PrivateMessages.
//   B  we create the group; a ts-mls client joins from our Welcome, then the
//      same exchange the other way round. Our handshake is PublicMessages.
// After every epoch all members must agree on epoch_authenticator,
// MLS-Exporter output and the ratchet tree bytes.
//
//   node tsmls_group.mjs <interop_peer binary>
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import * as mls from "ts-mls";
import { encodeRatchetTree } from "ts-mls/ratchetTree.js";
import { SUITES, hex, unhex, checker, makeMember, suiteImpl } from "./tsmls_common.mjs";

const [, , peerBinary] = process.argv;
if (!peerBinary) {
  console.error("usage: node tsmls_group.mjs <interop_peer>");
  process.exit(2);
}
const { check, summary } = checker("tsmls_group (ts-mls side)");
const EXPORT_LABEL = "mimi interop";
const EXPORT_CONTEXT = new TextEncoder().encode("exporter context");
const text = (s) => new TextEncoder().encode(s);

class Peer {
  constructor() {
    this.proc = spawn(peerBinary, [], { stdio: ["pipe", "pipe", "inherit"] });
    this.lines = createInterface({ input: this.proc.stdout })[Symbol.asyncIterator]();
  }
  async cmd(...words) {
    this.proc.stdin.write(words.join(" ") + "\n");
    const { value, done } = await this.lines.next();
    if (done) throw new Error(`peer exited during ${words[0]}`);
    const reply = value.split(" ");
    if (reply[0] !== "ok") throw new Error(`peer ${words[0]}: ${value}`);
    return reply.slice(1);
  }
  // the peer's exit status counts too (sanitizer builds report through it)
  async close() {
    const exited = new Promise((res) => this.proc.on("close", res));
    try {
      await this.cmd("quit");
    } catch (e) {
      check(false, `peer quit: ${e}`);
    }
    this.proc.stdin.end();
    const code = await exited;
    check(code === 0, `peer exit status ${code}`);
  }
}

const enc = (m) => hex(mls.encodeMlsMessage({ version: "mls10", ...m }));

async function receive(state, msg, impl) {
  const m = mls.decodeMlsMessage(typeof msg === "string" ? unhex(msg) : msg, 0)[0];
  return m.wireformat === "mls_public_message"
    ? await mls.processPublicMessage(state, m.publicMessage, mls.emptyPskIndex, impl)
    : await mls.processPrivateMessage(state, m.privateMessage, mls.emptyPskIndex, impl);
}

// One suite's run: the ts-mls members by name, the peer, the results.
class Run {
  constructor(suite, impl, scenario, results) {
    Object.assign(this, { suite, impl, scenario, results, ts: {}, kps: {}, failures: 0 });
  }
  async step(name, fn) {
    const before = this.failures;
    let ok = true;
    try {
      await fn();
    } catch (e) {
      ok = false;
      check(false, `suite ${this.suite} ${this.scenario} ${name}: ${e.stack ?? e}`);
    }
    const key = `${this.scenario}: ${name}`;
    this.results[key] ??= {};
    this.results[key][this.suite] = ok && this.failures === before;
  }
  expect(ok, what) {
    check(ok, `suite ${this.suite} ${this.scenario}: ${what}`);
    if (!ok) this.failures++;
  }
  // our path-update commit; everybody processes it and agrees, then talks
  async weUpdate(talker) {
    const [commit] = await this.peer.cmd("commit", "update");
    await this.deliver(commit);
    await this.agree("after our update");
    await this.talk(talker);
  }
  // our commit removing ts-mls member `name`, likewise
  async weRemove(name, talker) {
    const [commit] = await this.peer.cmd("commit", "remove", this.ts[name].privatePath.leafIndex);
    delete this.ts[name];
    await this.deliver(commit);
    await this.agree(`after we remove ${name}`);
    await this.talk(talker);
  }
  async expectRefused(cmd, arg, what) {
    let refused = false;
    try {
      await this.peer.cmd(cmd, arg);
    } catch {
      refused = true;
    }
    this.expect(refused, `we refuse ${what}`);
  }
  async member(name) {
    this.kps[name] = await makeMember(name, this.impl, this.suite);
    return this.kps[name];
  }
  async join(name, welcome) {
    const w = mls.decodeMlsMessage(unhex(welcome), 0)[0].welcome;
    this.ts[name] = await mls.joinGroup(w, this.kps[name].publicPackage, this.kps[name].privatePackage,
                                        mls.emptyPskIndex, this.impl);
  }
  // every ts-mls member but `except` processes a handshake message
  async deliver(msg, except = []) {
    for (const n of Object.keys(this.ts)) {
      if (except.includes(n)) continue;
      this.ts[n] = (await receive(this.ts[n], msg, this.impl)).newState;
    }
  }
  async tsCommit(name, opts) {
    const r = await mls.createCommit({ state: this.ts[name], cipherSuite: this.impl }, opts);
    this.ts[name] = r.newState;
    return { commit: hex(mls.encodeMlsMessage(r.commit)),
             welcome: r.welcome && enc({ wireformat: "mls_welcome", welcome: r.welcome }) };
  }
  // everybody agrees on the epoch
  async agree(what) {
    const [epoch, ea, exp, tree] = await this.peer.cmd("state");
    for (const [n, s] of Object.entries(this.ts)) {
      this.expect(String(s.groupContext.epoch) === epoch, `${what}: ${n} epoch ${s.groupContext.epoch} = ours ${epoch}`);
      this.expect(hex(s.keySchedule.epochAuthenticator) === ea, `${what}: ${n} epoch_authenticator`);
      const e = await mls.mlsExporter(s.keySchedule.exporterSecret, EXPORT_LABEL, EXPORT_CONTEXT, 32, this.impl);
      this.expect(hex(e) === exp, `${what}: ${n} exporter`);
      this.expect(hex(encodeRatchetTree(s.ratchetTree)) === tree, `${what}: ${n} tree`);
    }
  }
  // a message from a ts-mls member to everybody, and one from us
  async talk(from) {
    const data = text(`${from} in suite ${this.suite}`);
    const r = await mls.createApplicationMessage(this.ts[from], data, this.impl);
    this.ts[from] = r.newState;
    const msg = enc({ wireformat: "mls_private_message", privateMessage: r.privateMessage });
    const [sender, got] = await this.peer.cmd("open", msg);
    await this.expectRefused("open", msg, `${from}'s message a second time`);
    this.expect(got === hex(data), `we decrypt ${from}'s message`);
    this.expect(Number(sender) === this.ts[from].privatePath.leafIndex, `sender of ${from}'s message`);
    const ours = text(`mimi in suite ${this.suite}`);
    const [out] = await this.peer.cmd("send", hex(ours));
    for (const n of Object.keys(this.ts)) {
      const res = await receive(this.ts[n], out, this.impl);
      this.ts[n] = res.newState;
      this.expect(res.kind === "applicationMessage" && hex(res.message) === hex(ours), `${n} decrypts ours`);
    }
  }
}

// ts-mls alice creates a group and adds our KeyPackage and ts-mls bob; we
// join from the Welcome (our handshake messages: PrivateMessage).
async function tsCreatesWithUsAndBob(run, label) {
  const { impl, suite } = run;
  const alice = await run.member("alice");
  await run.member("bob");
  const [ourKp] = await run.peer.cmd("kp", suite, "private");
  run.ts.alice = await mls.createGroup(text(`${label} ${suite}`), alice.publicPackage, alice.privatePackage, [], impl);
  const kp = mls.decodeMlsMessage(unhex(ourKp), 0)[0].keyPackage;
  const c = await run.tsCommit("alice", {
    extraProposals: [kp, run.kps.bob.publicPackage].map((k) => ({ proposalType: "add", add: { keyPackage: k } })),
    ratchetTreeExtension: true,
  });
  await run.peer.cmd("join", c.welcome);
  await run.join("bob", c.welcome);
  await run.agree("epoch 1");
}

async function scenarioA(run) {
  const { impl } = run;
  run.peer = new Peer();
  await run.step("we join from ts-mls's Welcome", () => tsCreatesWithUsAndBob(run, "A"));
  await run.step("application messages both ways", () => run.talk("alice"));
  await run.step("we process ts-mls's update commit (public)", async () => {
    const c = await run.tsCommit("alice", { wireAsPublicMessage: true });
    // a damaged copy is refused and changes nothing: the genuine one follows
    const bad = unhex(c.commit);
    bad[bad.length - 5] ^= 1;
    await run.expectRefused("handshake", hex(bad), "a commit with a flipped byte");
    await run.peer.cmd("handshake", c.commit);
    await run.deliver(c.commit, ["alice"]);
    await run.agree("after alice's update");
    await run.talk("bob");
  });
  await run.step("ts-mls processes our update commit", () => run.weUpdate("alice"));
  await run.step("we process ts-mls's remove+add commit (private)", async () => {
    await run.member("carol");
    const c = await run.tsCommit("bob", {
      extraProposals: [{ proposalType: "remove", remove: { removed: 0 } },
                       { proposalType: "add", add: { keyPackage: run.kps.carol.publicPackage } }],
      ratchetTreeExtension: true,
    });
    await run.peer.cmd("handshake", c.commit);
    delete run.ts.alice;
    await run.deliver(c.commit, ["bob"]);
    await run.join("carol", c.welcome);
    await run.agree("after bob's remove+add");
    await run.talk("carol");
  });
  await run.step("ts-mls joins from our Welcome (our add commit)", async () => {
    const dave = await run.member("dave");
    const kp = enc({ wireformat: "mls_key_package", keyPackage: dave.publicPackage });
    const [commit, welcome] = await run.peer.cmd("commit", "add", kp);
    await run.deliver(commit);
    await run.join("dave", welcome);
    await run.agree("after our add");
    await run.talk("dave");
  });
  await run.step("ts-mls processes our remove commit", () => run.weRemove("bob", "carol"));
  await run.step("we process our own removal", async () => {
    const leaf = run.ts.dave.ratchetTree.findIndex((n) => n?.nodeType === "leaf"
      && new TextDecoder().decode(n.leaf.credential.identity) === "mimi") / 2;
    const c = await run.tsCommit("dave", { extraProposals: [{ proposalType: "remove", remove: { removed: leaf } }] });
    const [res] = await run.peer.cmd("handshake", c.commit);
    run.expect(res === "removed", `we see our removal (${res})`);
    await run.deliver(c.commit, ["dave"]);
  });
  await run.peer.close();
}

async function scenarioB(run) {
  const { impl, suite } = run;
  run.peer = new Peer();
  await run.step("ts-mls joins from our Welcome (we create)", async () => {
    await run.peer.cmd("kp", suite, "public");
    await run.peer.cmd("create", hex(text(`B ${suite}`)));
    const alice = await run.member("alice");
    const kp = enc({ wireformat: "mls_key_package", keyPackage: alice.publicPackage });
    const [, welcome] = await run.peer.cmd("commit", "add", kp);
    await run.join("alice", welcome);
    await run.agree("epoch 1");
  });
  await run.step("application messages both ways", () => run.talk("alice"));
  await run.step("we process ts-mls's update commit (private)", async () => {
    const c = await run.tsCommit("alice", {});
    await run.peer.cmd("handshake", c.commit);
    await run.agree("after alice's update");
    await run.talk("alice");
  });
  await run.step("we process ts-mls's add commit (public)", async () => {
    await run.member("bob");
    const c = await run.tsCommit("alice", {
      wireAsPublicMessage: true, ratchetTreeExtension: true,
      extraProposals: [{ proposalType: "add", add: { keyPackage: run.kps.bob.publicPackage } }],
    });
    await run.peer.cmd("handshake", c.commit);
    await run.join("bob", c.welcome);
    await run.agree("after alice adds bob");
    await run.talk("bob");
  });
  await run.step("ts-mls processes our update commit", () => run.weUpdate("alice"));
  await run.step("ts-mls processes our remove commit", () => run.weRemove("alice", "bob"));
  await run.step("we process ts-mls's remove commit", async () => {
    await run.member("carol");
    const add = await run.tsCommit("bob", {
      ratchetTreeExtension: true,
      extraProposals: [{ proposalType: "add", add: { keyPackage: run.kps.carol.publicPackage } }],
    });
    await run.peer.cmd("handshake", add.commit);
    await run.join("carol", add.welcome);
    const c = await run.tsCommit("carol", { extraProposals: [{ proposalType: "remove", remove: { removed: run.ts.bob.privatePath.leafIndex } }] });
    await run.peer.cmd("handshake", c.commit);
    delete run.ts.bob;
    await run.agree("after carol removes bob");
    await run.talk("carol");
  });
  await run.peer.close();
}

// C — proposals by reference, both ways: ts-mls creates; a ts-mls add
// proposal committed by us; our Update and Remove proposals committed by
// ts-mls; a ts-mls remove proposal committed by us.
async function scenarioC(run) {
  const { impl, suite } = run;
  run.peer = new Peer();
  const propose = async (name, proposal, publicMessage) => {
    const r = await mls.createProposal(run.ts[name], publicMessage, proposal, impl);
    run.ts[name] = r.newState;
    return hex(mls.encodeMlsMessage(r.message));
  };
  await run.step("setup: ts-mls adds us and bob", () => tsCreatesWithUsAndBob(run, "C"));
  await run.step("we commit ts-mls's add proposal (by reference)", async () => {
    await run.member("carol");
    const p = await propose("bob", { proposalType: "add", add: { keyPackage: run.kps.carol.publicPackage } }, true);
    run.expect((await run.peer.cmd("handshake", p))[0] === "proposal", "we store bob's proposal");
    await run.deliver(p, ["bob"]);
    const [commit, welcome] = await run.peer.cmd("commit", "update");
    await run.deliver(commit);
    await run.join("carol", welcome);
    await run.agree("after our commit of bob's add");
    await run.talk("carol");
  });
  await run.step("ts-mls commits our update proposal", async () => {
    const [p] = await run.peer.cmd("propose", "update");
    await run.deliver(p);
    const c = await run.tsCommit("alice", {});
    await run.peer.cmd("handshake", c.commit);
    await run.deliver(c.commit, ["alice"]);
    await run.agree("after alice commits our update");
    await run.talk("bob");
  });
  await run.step("ts-mls commits our remove proposal", async () => {
    const [p] = await run.peer.cmd("propose", "remove", run.ts.bob.privatePath.leafIndex);
    await run.deliver(p);
    const c = await run.tsCommit("carol", { wireAsPublicMessage: true });
    await run.peer.cmd("handshake", c.commit);
    delete run.ts.bob;
    await run.deliver(c.commit, ["carol"]);
    await run.agree("after carol commits our remove");
    await run.talk("alice");
  });
  await run.step("we commit ts-mls's remove proposal (private)", async () => {
    const p = await propose("alice", { proposalType: "remove", remove: { removed: run.ts.carol.privatePath.leafIndex } }, false);
    run.expect((await run.peer.cmd("handshake", p))[0] === "proposal", "we store alice's proposal");
    const [commit] = await run.peer.cmd("commit", "update");
    delete run.ts.carol;
    await run.deliver(commit);
    await run.agree("after our commit of alice's remove");
    await run.talk("alice");
  });
  await run.peer.close();
}

const results = {};
for (const suite of SUITES) {
  const impl = await suiteImpl(suite);
  await scenarioA(new Run(suite, impl, "A", results));
  await scenarioB(new Run(suite, impl, "B", results));
  await scenarioC(new Run(suite, impl, "C", results));
}
console.log(`\n| scenario (ts-mls ${"1.6.4"}) | ${SUITES.map((s) => `suite ${s}`).join(" | ")} |`);
console.log(`|---|${SUITES.map(() => "---").join("|")}|`);
for (const [k, v] of Object.entries(results))
  console.log(`| ${k} | ${SUITES.map((s) => (v[s] ? "pass" : "FAIL")).join(" | ")} |`);
process.exit(summary());
