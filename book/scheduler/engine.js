/*
 * "Be the scheduler": the step machine behind the puzzles. No DOM here; the
 * widget (widget.js) draws it. Works in the browser (window.SchedEngine) and
 * in node (module.exports), so puzzles can be checked with node while writing
 * them; the book's own tests never need node (book_structure runs the
 * puzzles through node only where node is on the PATH).
 *
 * THE PUZZLE FORMAT
 *
 * One puzzle is one JSON file, book/<chapter>/puzzles/<id>.json, with no blank
 * line in it (mdBook would end the HTML block there). A page embeds it as
 *
 *   <div class="sched-puzzle" data-puzzle="ID"></div>
 *   <script type="application/json" id="sched-puzzle-ID">  {{#include puzzles/ID.json}}
 *   <script type="text/plain" id="sched-loom-ID">          {{#include captured/....txt}}
 *
 * (three blocks with a blank line between them; see the chapter 3 pages). The
 * third block may be called sched-trace-ID instead (the shuttle puzzles of
 * chapter 10 are).
 *
 * Top level:
 *   id         [a-z0-9-]+, the file's stem.
 *   title      a short name ("Lose an update").
 *   goal       what the reader must make happen, one sentence.
 *   goal_when  a JavaScript expression, checked after every step, with
 *              s (the shared variables), t (the threads: {name, l, done,
 *              blocked, pending}, l being the thread's locals, blocked true
 *              when it cannot step, pending true when it waits at an await),
 *              done (every thread has finished), deadlock (a thread is
 *              unfinished and none can step) and preemptions (how many so
 *              far, see PREEMPTIONS) in scope.
 *   checker    "loom" (the default) or "shuttle": the model checker whose
 *              failing schedule the puzzle replays; the widget names it
 *              ("Show me shuttle's schedule"). A shuttle puzzle speaks of
 *              tasks, polls and the executor instead of threads and the
 *              scheduler.
 *   trace      {file: the captured trace, relative to the page (the file the
 *              page includes); test: the command that prints it;
 *              misses_goal, then: optional, see REPLAY}.
 *   loom       the old name of trace, kept for the loom puzzles: a puzzle
 *              has one of the two.
 *   solution   clicks, one per step: a number N (1-based) polls thread N
 *              (a thread in a select steps its first arm that can step), a
 *              string "N.A" steps arm A (1-based) of thread N's select. An
 *              interleaving that reaches the goal in "broken" and does not in
 *              "fixed".
 *   broken, fixed   two VERSIONs of the same program.
 *
 * VERSION:
 *   label      "Wrong: ..." / "Right: ...", names the code.
 *   source     the lab file, from the repository root, whose lines the steps
 *              show: each step's code occurs in it (whitespace collapsed).
 *   verdict    what the checker says about this version.
 *   why        (fixed) why the goal cannot be reached, one or two sentences.
 *   shared     the shared variables and their first values.
 *   locks      the mutexes' names (std's or tokio's); condvars: the condition
 *              variables' names; notifies: the tokio Notify values' names;
 *              wakers: the names of other things a task can be pending on
 *              (a channel's receiver, a JoinHandle), each a list of wakers.
 *   threads    [{name, locals, steps}], name = the label the trace uses for
 *              that thread or task (main, T1, T2, T3), the same in both
 *              versions.
 *
 * STEP: {code, note, do, ...}; code and note are shown, do says what happens:
 *   run         run: JavaScript statements over s and l ("" does nothing).
 *   lock        lock: takes that mutex; cannot step while anybody holds it
 *               (the thread itself included: a Mutex is not reentrant). In a
 *               task this is tokio's lock().await: the task is pending while
 *               another holds it. (tokio's Mutex hands a released lock to the
 *               task that queued first; the puzzles let any task take a free
 *               lock, which no puzzle here depends on.)
 *   unlock      lock: releases it; the thread must hold it.
 *   jump        to: a step's label; if: an expression over s and l. Goes to
 *               the labelled step when if is true or absent, else on.
 *   wait        condvar, lock: releases the lock and falls asleep on the
 *               condvar. The next step is normally its relock.
 *   relock      lock: wakes up and takes the lock again; can step only once
 *               notified and while nobody holds the lock.
 *   notify_one  condvar: wakes the thread that has slept on it longest (a
 *               simplification: std promises only that one waiter wakes; the
 *               widget tells the reader so).
 *               notify (instead of condvar): tokio's Notify::notify_one: the
 *               waiter registered first is notified (and woken if it is
 *               pending); with nobody registered, the Notify stores its one
 *               permit (a second call stores nothing more).
 *   notify_all  condvar: wakes every thread asleep on it.
 * The async steps (a task is a thread whose steps are polled):
 *   await       notify: polls this task's notified() on that Notify. Ready
 *               (the task goes on) if its registration was notified or a
 *               permit is stored (it takes the permit); else Pending: the
 *               task registers (if it had not) and cannot step until a
 *               notify_one or notify_waiters wakes it. The woken task's next
 *               step polls the same await again, which is then Ready.
 *               on + until (instead of notify): polls a future that is ready
 *               when until (an expression over s and l) holds; Pending puts
 *               the task's waker on the waker list `on` until a wake step
 *               on it. run (optional): statements run when it is Ready (the
 *               value the await gives: l.m = s.queue.shift()).
 *   register    notify: creates (and enables) this task's notified() future
 *               without awaiting it: from now on notify_waiters and
 *               notify_one reach it, so a later await is Ready.
 *   notify_waiters  notify: notifies every registered waiter of that Notify
 *               at this moment (each pending one wakes); stores no permit.
 *   wake        on: wakes every task pending on that waker list (a send
 *               waking the receiver); stores nothing. run (optional): runs
 *               first (the send's s.queue.push(1)).
 *   select      arms: [{to, name, drops}]: tokio::select! starts; each arm is
 *               a future whose steps begin at the label to; drops (optional)
 *               lists the locals that the arm's future owns. From here each
 *               click on the task polls one arm: the first that can step, or
 *               the one the reader names ("N.A"). An arm pending at an await
 *               lets the others step; the task is pending when every arm is.
 *               biased: true (select!'s `biased;`): the arms are polled in
 *               the order written, so only the first arm that can step may
 *               (without it, tokio starts at a random arm: the reader picks).
 *               An arm that has taken a step and is not Pending is in the
 *               middle of its poll: the task's next step is that arm's
 *               again, until the arm is Pending (at an await, or on a lock)
 *               or completes, as a poll of a select! runs one arm's future
 *               until it returns. Other tasks may step in between.
 *   complete    (in an arm) this arm's future is Ready: the select drops
 *               every other arm's future, cancelled wherever it was (its
 *               drops locals are lost, its notified() registrations and its
 *               waker entries removed, the locks its guards held released),
 *               and the task goes on at the next step (the arm's handler) or
 *               at the label to. run (optional): runs after the drops (the
 *               handler's first line: l.messages.push(l.message)).
 * Optional on any step: label (a jump target), indent (0-3, display only),
 * trace (or loom, its old name): true, this step completes one event of the
 * checker's trace, see REPLAY; or a string, it completes an event whose text
 * contains that string (and no other).
 * A thread is done when it steps past its last step. To end a thread from
 * the middle (a return), jump to a label on its last step. An arm must reach
 * a complete step before it runs past the last step.
 *
 * REPLAY of the checker's trace (loom's, or shuttle's in the same form): the
 * events are the numbered lines between "The execution, step by step:" and
 * the first line starting with "Then", "   N. LABEL  text". For each event in
 * turn, the thread called LABEL takes steps until it has taken one whose
 * trace mark completes that event. When it cannot step first, the replay
 * stops there: that interleaving cannot happen in this version. Where the
 * thread is in a select with several arms that can step, the replay tries
 * them in order and takes the first arm whose steps complete the event (a
 * string mark says which event an arm's step belongs to). Mark the step that
 * ends the critical section an event was traced in (its unlock) when the next
 * event belongs to another thread that needs the lock. In "broken" the
 * replay normally reaches the goal. trace.then (optional): clicks, as in
 * solution, taken after the last event: the steps that the trace's "Then"
 * line reports without an event of their own (a waiter's last poll, which
 * leaves it pending for ever); where one cannot be taken, the replay stops
 * there. trace.misses_goal, a sentence, says that
 * it does not and why (the goal asks for fewer preemptions than the checker's
 * trace took, say); the widget shows it when the replay of "broken" ends, and
 * the tests expect the goal not reached there.
 *
 * PREEMPTIONS: a step by another thread than the one that took the previous
 * step counts one preemption when that previous thread could have stepped
 * instead (it had not finished, and was neither blocked on a lock, asleep on
 * a condvar nor pending at an await): loom's definition
 * (Schedule::preemptions), at the puzzle's steps. A switch away from a thread
 * that is finished, blocked, asleep or pending is free, and so is the first
 * step: a puzzle starts with every thread spawned. That matches loom where
 * the model's main thread spawns the threads and waits in join, as in the
 * philosophers; where main is one of the puzzle's threads and goes on after
 * its spawns, loom counts running another thread before main's first step as
 * a preemption of main, which the puzzle does not. The count is a function of
 * the history of clicks: every step records whether it was a preemption, and
 * undo, reset, load and replay rebuild the state, count included, by taking
 * the steps again from the first state.
 *
 * TASKS: shuttle runs every tokio task as a coroutine of its own, all on
 * one OS thread, and may switch between them at each of its scheduling
 * points (an operation on its primitives, a poll that returns Pending), as a
 * multi-thread runtime with several workers may interleave them; the
 * puzzles let the reader switch after any step, which includes those
 * orders. (On a current-thread runtime a task runs without interruption
 * from one await that is Pending to the next.)
 *
 * Undo replays the history, minus its last click, from the first state: the
 * machine is deterministic, so that gives exactly the state before.
 */
(function (root) {
  "use strict";

  var DOS = [
    "run",
    "lock",
    "unlock",
    "jump",
    "wait",
    "relock",
    "notify_one",
    "notify_all",
    "await",
    "register",
    "notify_waiters",
    "wake",
    "select",
    "complete",
  ];

  // The steps that only a task (an async puzzle) takes.
  var ASYNC_DOS = ["await", "register", "notify_waiters", "wake", "select", "complete"];

  function clone(v) {
    return v === undefined ? undefined : JSON.parse(JSON.stringify(v));
  }

  function collapse(text) {
    return String(text).replace(/\s+/g, " ").trim();
  }

  function show(value) {
    if (value === null || value === undefined) return "not set";
    return JSON.stringify(value).replace(/,/g, ", ");
  }

  function fail(where, message) {
    throw new Error(where + ": " + message);
  }

  /** The puzzle's trace description: trace, or loom (its old name). */
  function traceOf(puzzle) {
    return (puzzle && (puzzle.trace || puzzle.loom)) || {};
  }

  /** The checker whose trace the puzzle replays: "loom" or "shuttle". */
  function checkerOf(puzzle) {
    return (puzzle && puzzle.checker) || "loom";
  }

  /** Whether the puzzle is about tasks: a shuttle puzzle, or one with async steps. */
  function isAsync(puzzle) {
    if (checkerOf(puzzle) === "shuttle") return true;
    return ["broken", "fixed"].some(function (name) {
      var v = puzzle[name] || {};
      if ((v.notifies || []).length || (v.wakers || []).length) return true;
      return (v.threads || []).some(function (th) {
        return (th.steps || []).some(function (st) {
          return ASYNC_DOS.indexOf(st.do) >= 0;
        });
      });
    });
  }

  /** A step's trace mark: true, a string, or undefined. */
  function markOf(st) {
    return st.trace !== undefined ? st.trace : st.loom;
  }

  // Compiles one version: labels resolved, expressions turned into functions.
  function compileVersion(puzzle, name) {
    var v = puzzle[name];
    var here = "puzzle " + puzzle.id + ", " + name;
    if (!v || typeof v !== "object") fail(here, "missing");
    var locks = v.locks || [];
    var condvars = v.condvars || [];
    var notifies = v.notifies || [];
    var wakers = v.wakers || [];
    function expr(where, what, text) {
      try {
        return new Function("s", "l", "return (" + text + ");");
      } catch (e) {
        fail(where, what + " does not compile: " + e.message);
      }
    }
    function statements(where, what, text) {
      try {
        return new Function("s", "l", String(text || ""));
      } catch (e) {
        fail(where, what + " does not compile: " + e.message);
      }
    }
    var threads = (v.threads || []).map(function (th) {
      var at = here + ", thread " + th.name;
      var labels = {};
      (th.steps || []).forEach(function (st, si) {
        if (st.label !== undefined) {
          if (labels[st.label] !== undefined) fail(at, "label " + st.label + " twice");
          labels[st.label] = si;
        }
      });
      function label(where, to) {
        if (labels[to] === undefined) fail(where, "no step has the label " + to);
        return labels[to];
      }
      var steps = (th.steps || []).map(function (st, si) {
        var where = at + ", step " + (si + 1);
        if (DOS.indexOf(st.do) < 0) fail(where, "unknown do: " + st.do);
        var c = { src: st, target: null, fn: null, cond: null, until: null, arms: null };
        var mark = markOf(st);
        if (mark !== undefined && mark !== true && !(typeof mark === "string" && mark.trim() !== "")) {
          fail(where, "trace is true or a non-empty string");
        }
        if (st.do === "run") c.fn = statements(where, "run", st.run);
        if ((st.do === "await" || st.do === "wake" || st.do === "complete") && st.run !== undefined) {
          c.fn = statements(where, "run", st.run);
        }
        if (st.do === "jump") {
          c.target = label(where, st.to);
          if (st.if !== undefined) c.cond = expr(where, "if", st.if);
        }
        if (st.do === "complete" && st.to !== undefined) c.target = label(where, st.to);
        if (["lock", "unlock", "wait", "relock"].indexOf(st.do) >= 0) {
          if (locks.indexOf(st.lock) < 0) fail(where, "unknown lock " + st.lock);
        }
        if (st.do === "wait" || st.do === "notify_all") {
          if (condvars.indexOf(st.condvar) < 0) fail(where, "unknown condvar " + st.condvar);
        }
        if (st.do === "notify_one") {
          if ((st.condvar === undefined) === (st.notify === undefined)) {
            fail(where, "notify_one names a condvar or a notify, one of the two");
          }
          if (st.condvar !== undefined && condvars.indexOf(st.condvar) < 0) {
            fail(where, "unknown condvar " + st.condvar);
          }
          if (st.notify !== undefined && notifies.indexOf(st.notify) < 0) {
            fail(where, "unknown notify " + st.notify);
          }
        }
        if (st.do === "register" || st.do === "notify_waiters") {
          if (notifies.indexOf(st.notify) < 0) fail(where, "unknown notify " + st.notify);
        }
        if (st.do === "await") {
          if ((st.notify === undefined) === (st.on === undefined)) {
            fail(where, "await names a notify, or a waker list on with until: one of the two");
          }
          if (st.notify !== undefined && notifies.indexOf(st.notify) < 0) {
            fail(where, "unknown notify " + st.notify);
          }
          if (st.on !== undefined) {
            if (wakers.indexOf(st.on) < 0) fail(where, "unknown waker list " + st.on);
            if (st.until === undefined) fail(where, "await on " + st.on + " needs until");
            c.until = expr(where, "until", st.until);
          }
        }
        if (st.do === "wake" && wakers.indexOf(st.on) < 0) fail(where, "unknown waker list " + st.on);
        if (st.do === "select") {
          if (!Array.isArray(st.arms) || st.arms.length < 1) fail(where, "select needs arms");
          c.arms = st.arms.map(function (arm, ai) {
            var aw = where + ", arm " + (ai + 1);
            if (!arm || typeof arm.name !== "string" || !arm.name) fail(aw, "needs a name");
            if (arm.drops !== undefined && !Array.isArray(arm.drops)) fail(aw, "drops is a list of locals");
            return { pc: label(aw, arm.to), name: arm.name, drops: arm.drops || [] };
          });
        }
        return c;
      });
      return { name: th.name, locals: th.locals || {}, steps: steps };
    });
    var goal;
    try {
      goal = new Function(
        "s",
        "t",
        "done",
        "deadlock",
        "preemptions",
        "return (" + puzzle.goal_when + ");"
      );
    } catch (e) {
      fail("puzzle " + puzzle.id, "goal_when does not compile: " + e.message);
    }
    return {
      name: name,
      v: v,
      shared: v.shared || {},
      locks: locks,
      condvars: condvars,
      notifies: notifies,
      wakers: wakers,
      threads: threads,
      goal: goal,
    };
  }

  /** One version of a puzzle, with its state and its history of clicks. */
  function Sim(puzzle, versionName) {
    this.puzzle = puzzle;
    this.version = versionName;
    this.async = isAsync(puzzle);
    this.c = compileVersion(puzzle, versionName);
    this.reset();
  }

  Sim.prototype.reset = function () {
    var c = this.c;
    var holders = {};
    var holderArms = {};
    c.locks.forEach(function (k) {
      holders[k] = null;
      holderArms[k] = -1;
    });
    var sleepers = {};
    c.condvars.forEach(function (k) {
      sleepers[k] = [];
    });
    var notifies = {};
    c.notifies.forEach(function (k) {
      notifies[k] = { permit: false, regs: [] }; // regs: [{task, arm, notified}]
    });
    var wakers = {};
    c.wakers.forEach(function (k) {
      wakers[k] = []; // [{task, arm}]
    });
    this.state = {
      s: clone(c.shared),
      threads: c.threads.map(function (th) {
        return {
          pc: 0,
          l: clone(th.locals),
          done: th.steps.length === 0,
          asleep: null,
          pend: null, // what the task is pending on at an await: {kind, on}
          sel: null, // in a select: {at, arms: [{pc, pend}]}
        };
      }),
      holders: holders,
      holderArms: holderArms,
      sleepers: sleepers,
      notifies: notifies,
      wakers: wakers,
    };
    this.history = []; // clicks: N (1-based thread) or "N.A" (arm A of N's select)
    this.trail = []; // per click: {thread (0-based), arm (0-based or -1), step (0-based), text, preempted}
    this.preemptions = 0; // how many clicks of the history were preemptions
    this.goalAt = -1; // the click (0-based) that first reached the goal
  };

  /** A copy of everything a click changes (for the replay's trials). */
  Sim.prototype.snapshot = function () {
    return clone({
      state: this.state,
      history: this.history,
      trail: this.trail,
      preemptions: this.preemptions,
      goalAt: this.goalAt,
    });
  };

  Sim.prototype.restore = function (snap) {
    var c = clone(snap);
    this.state = c.state;
    this.history = c.history;
    this.trail = c.trail;
    this.preemptions = c.preemptions;
    this.goalAt = c.goalAt;
  };

  Sim.prototype.threadCount = function () {
    return this.c.threads.length;
  };

  Sim.prototype.names = function () {
    return this.c.threads.map(function (t) {
      return t.name;
    });
  };

  /** "thread" or "task", for the texts. */
  Sim.prototype.word = function () {
    return this.async ? "task" : "thread";
  };

  /** Thread i's arms in a select ([{name, drops}]), or null. */
  Sim.prototype.arms = function (i) {
    var th = this.state.threads[i];
    if (!th || !th.sel) return null;
    return this.c.threads[i].steps[th.sel.at].arms;
  };

  // The cursor of thread i: the thread itself (arm -1) or one arm of its select.
  Sim.prototype.cursor = function (i, arm) {
    var th = this.state.threads[i];
    return arm >= 0 ? th.sel.arms[arm] : th;
  };

  /** The next step of thread i (of arm arm in its select), or null. */
  Sim.prototype.nextStep = function (i, arm) {
    var th = this.state.threads[i];
    if (th.done) return null;
    if (arm === undefined) arm = th.sel ? this.firstArm(i) : -1;
    if (th.sel && arm < 0) arm = 0;
    return this.c.threads[i].steps[this.cursor(i, arm).pc];
  };

  function pendText(p) {
    return p.kind === "notify" ? p.on + ".notified()" : p.on;
  }

  // Why this cursor cannot take its next step, or null if it can.
  Sim.prototype.cursorBlocked = function (i, arm) {
    var name = this.c.threads[i].name;
    var cur = this.cursor(i, arm);
    var who = arm >= 0 ? name + "'s arm " + this.arms(i)[arm].name : name;
    if (cur.pend) {
      return (
        who +
        " is pending on " +
        pendText(cur.pend) +
        ": it can be polled again only after something wakes it"
      );
    }
    var st = this.c.threads[i].steps[cur.pc].src;
    if (st.do === "relock" && cur.asleep !== null && cur.asleep !== undefined) {
      return (
        who +
        " is asleep on " +
        cur.asleep +
        ": it can take the lock back only after another thread notifies " +
        cur.asleep
      );
    }
    if (st.do === "lock" || st.do === "relock") {
      var holder = this.state.holders[st.lock];
      if (holder !== null) {
        var verb = this.async ? " is pending on " : " is blocked on ";
        return (
          who +
          verb +
          st.lock +
          ", held by " +
          (holder === i
            ? "itself (a Mutex is not reentrant)"
            : this.c.threads[holder].name +
              ": it must wait until " +
              this.c.threads[holder].name +
              " unlocks it")
        );
      }
    }
    return null;
  };

  // The arm (0-based) of thread i's select that is in the middle of a poll
  // and can go on, or -1 (see select: a poll runs one arm until it is
  // Pending or Ready).
  Sim.prototype.midPoll = function (i) {
    var th = this.state.threads[i];
    if (!th.sel || th.sel.cur === null || th.sel.cur === undefined) return -1;
    return this.cursorBlocked(i, th.sel.cur) === null ? th.sel.cur : -1;
  };

  /** The first arm (0-based) of thread i's select that can step, or -1. */
  Sim.prototype.firstArm = function (i) {
    var th = this.state.threads[i];
    if (!th.sel) return -1;
    var mid = this.midPoll(i);
    if (mid >= 0) return mid;
    for (var a = 0; a < th.sel.arms.length; a++) {
      if (this.cursorBlocked(i, a) === null) return a;
    }
    return -1;
  };

  /**
   * Why thread i (0-based) cannot take a step now, or null if it can. With
   * arm (0-based), why that arm of its select cannot.
   */
  Sim.prototype.blockedBy = function (i, arm) {
    var th = this.state.threads[i];
    if (!th) return "there is no " + this.word() + " " + (i + 1);
    var name = this.c.threads[i].name;
    if (th.done) return name + " has finished";
    if (arm !== undefined && arm !== null) {
      if (!th.sel) return name + " is not in a select";
      if (arm < 0 || arm >= th.sel.arms.length) return name + "'s select has no arm " + (arm + 1);
      var own = this.cursorBlocked(i, arm);
      if (own !== null) return own;
      var mid = this.midPoll(i);
      if (mid >= 0 && mid !== arm) {
        return (
          name +
          "'s " +
          this.arms(i)[mid].name +
          " is in the middle of its poll: a poll runs one arm's future until it is Pending or Ready, and only then polls another"
        );
      }
      var first = this.firstArm(i);
      if (this.c.threads[i].steps[th.sel.at].src.biased && first !== arm) {
        return (
          name +
          "'s select is biased: it polls " +
          this.arms(i)[first].name +
          " first, and that arm can take a step"
        );
      }
      return null;
    }
    if (th.sel) {
      if (this.firstArm(i) >= 0) return null;
      var self = this;
      return th.sel.arms
        .map(function (_, a) {
          return self.cursorBlocked(i, a);
        })
        .join("; and ");
    }
    return this.cursorBlocked(i, -1);
  };

  Sim.prototype.canStep = function (i, arm) {
    return this.blockedBy(i, arm) === null;
  };

  /** Whether thread i waits at an await (every arm of its select, if in one). */
  Sim.prototype.pending = function (i) {
    var th = this.state.threads[i];
    if (th.done) return false;
    if (th.sel) {
      return (
        this.firstArm(i) < 0 &&
        th.sel.arms.some(function (a) {
          return !!a.pend;
        })
      );
    }
    return !!th.pend;
  };

  // The state of one cursor: {word, on, text}.
  Sim.prototype.cursorState = function (i, arm) {
    var cur = this.cursor(i, arm);
    if (cur.pend) return { word: "pending", on: cur.pend.on, text: "pending on " + pendText(cur.pend) };
    var st = this.c.threads[i].steps[cur.pc].src;
    if (st.do === "relock" && cur.asleep !== null && cur.asleep !== undefined) {
      return { word: "asleep", on: cur.asleep, text: "asleep on " + cur.asleep };
    }
    if ((st.do === "lock" || st.do === "relock") && this.state.holders[st.lock] !== null) {
      if (this.async) return { word: "pending", on: st.lock, text: "pending on lock " + st.lock };
      return { word: "blocked", on: st.lock, text: "blocked on " + st.lock };
    }
    return this.async ? { word: "ready", on: null, text: "ready" } : { word: "running", on: null, text: "running" };
  };

  /**
   * running / blocked / asleep / done (threads), ready / pending / done
   * (tasks), with the lock, condvar or what it is pending on; in a select,
   * each arm's state (arms: [{name, word, text}]).
   */
  Sim.prototype.threadState = function (i) {
    var th = this.state.threads[i];
    if (th.done) return { word: "done", on: null, text: "done" };
    if (th.sel) {
      var self = this;
      var arms = this.arms(i).map(function (arm, a) {
        var cs = self.cursorState(i, a);
        return { name: arm.name, word: cs.word, text: cs.text };
      });
      var ready = this.firstArm(i) >= 0;
      var word = ready ? (this.async ? "ready" : "running") : "pending";
      return {
        word: word,
        on: null,
        arms: arms,
        text:
          "in a select: " +
          arms
            .map(function (a) {
              return a.name + " " + a.text;
            })
            .join(", "),
      };
    }
    return this.cursorState(i, -1);
  };

  Sim.prototype.allDone = function () {
    return this.state.threads.every(function (t) {
      return t.done;
    });
  };

  Sim.prototype.deadlocked = function () {
    var self = this;
    if (this.allDone()) return false;
    return this.state.threads.every(function (t, i) {
      return !self.canStep(i);
    });
  };

  Sim.prototype.goalReached = function () {
    var self = this;
    var t = this.state.threads.map(function (th, i) {
      return {
        name: self.c.threads[i].name,
        l: th.l,
        done: th.done,
        blocked: !th.done && !self.canStep(i),
        pending: self.pending(i),
      };
    });
    try {
      return !!this.c.goal(this.state.s, t, this.allDone(), this.deadlocked(), this.preemptions);
    } catch (e) {
      return false;
    }
  };

  /**
   * The thread (0-based) that thread i's step would preempt now: the one
   * that took the last step, if it is another and could step itself. -1 when
   * a step by i would be no preemption.
   */
  Sim.prototype.wouldPreempt = function (i) {
    var last = this.trail.length ? this.trail[this.trail.length - 1].thread : -1;
    return last >= 0 && last !== i && this.canStep(last) ? last : -1;
  };

  // Wakes the cursor (task, arm) if it is pending on this thing.
  Sim.prototype.wakeCursor = function (task, arm, kind, on) {
    var th = this.state.threads[task];
    if (th.done) return false;
    if (arm >= 0 && (!th.sel || arm >= th.sel.arms.length)) return false;
    var cur = this.cursor(task, arm);
    if (cur.pend && cur.pend.kind === kind && cur.pend.on === on) {
      cur.pend = null;
      return true;
    }
    return false;
  };

  // Who a cursor is, in the texts: "main" or "main's recv arm".
  Sim.prototype.who = function (task, arm) {
    var name = this.c.threads[task].name;
    if (arm < 0) return name;
    var th = this.state.threads[task];
    var arms = th.sel ? this.arms(task) : null;
    return arms && arms[arm] ? name + "'s " + arms[arm].name : name;
  };

  // Drops arm a of thread i's select: its registrations, waker entries,
  // locks and locals go. Returns what was lost, in words.
  Sim.prototype.dropArm = function (i, a) {
    var S = this.state;
    var th = S.threads[i];
    var arm = this.arms(i)[a];
    var lost = [];
    this.c.notifies.forEach(function (n) {
      S.notifies[n].regs = S.notifies[n].regs.filter(function (r) {
        return !(r.task === i && r.arm === a);
      });
    });
    this.c.wakers.forEach(function (w) {
      S.wakers[w] = S.wakers[w].filter(function (r) {
        return !(r.task === i && r.arm === a);
      });
    });
    this.c.locks.forEach(function (k) {
      if (S.holders[k] === i && S.holderArms[k] === a) {
        S.holders[k] = null;
        S.holderArms[k] = -1;
        lost.push("its guard of " + k + " (unlocked)");
      }
    });
    arm.drops.forEach(function (k) {
      if (Object.prototype.hasOwnProperty.call(th.l, k) && th.l[k] !== undefined && th.l[k] !== null) {
        lost.push(k + " = " + show(th.l[k]));
      }
      delete th.l[k];
    });
    return arm.name + "'s future" + (lost.length ? ", and with it " + lost.join(" and ") : "");
  };

  /**
   * Thread i (0-based) takes its next step; in a select, arm (0-based) of it
   * does, or its first arm that can step when arm is undefined. Returns {ok,
   * text, step, arm, mark, loom, preempted}: ok false (and nothing changes)
   * when it cannot step; mark, the step's trace mark (true, a string or
   * undefined; loom is !!mark); preempted, the thread this step preempted
   * (0-based), or -1.
   */
  Sim.prototype.step = function (i, arm) {
    var explicit = arm !== undefined && arm !== null;
    var why = this.blockedBy(i, explicit ? arm : undefined);
    if (why !== null) return { ok: false, text: why };
    var S = this.state;
    var th = S.threads[i];
    var a = th.sel ? (explicit ? arm : this.firstArm(i)) : -1;
    var preempted = this.wouldPreempt(i);
    var name = this.c.threads[i].name;
    var cur = this.cursor(i, a);
    var who = this.who(i, a);
    var at = cur.pc;
    var steps = this.c.threads[i].steps;
    var c = steps[at];
    var st = c.src;
    var next = at + 1;
    var text;
    var self = this;
    var where = "puzzle " + this.puzzle.id + ", " + this.version + ", " + name + ", step " + (at + 1);
    function runFn() {
      if (!c.fn) return;
      try {
        c.fn(S.s, th.l);
      } catch (e) {
        fail(where, "run throws: " + e.message);
      }
    }
    switch (st.do) {
      case "run":
        runFn();
        text = who + " runs " + collapse(st.code) + (st.note ? " (" + st.note + ")" : "");
        break;
      case "lock":
        S.holders[st.lock] = i;
        S.holderArms[st.lock] = a;
        text = who + " locks " + st.lock;
        break;
      case "unlock":
        if (S.holders[st.lock] !== i) fail(where, "unlocks " + st.lock + ", which it does not hold");
        S.holders[st.lock] = null;
        S.holderArms[st.lock] = -1;
        text = who + " unlocks " + st.lock;
        break;
      case "jump": {
        var go = true;
        if (c.cond) {
          try {
            go = !!c.cond(S.s, th.l);
          } catch (e) {
            fail(where, "if throws: " + e.message);
          }
        }
        if (go) next = c.target;
        text = who + ": " + collapse(st.code) + " \u2192 step " + (next + 1);
        break;
      }
      case "wait":
        if (a >= 0) fail(where, "a condvar wait inside a select arm");
        if (S.holders[st.lock] !== i) fail(where, "waits with " + st.lock + ", which it does not hold");
        S.holders[st.lock] = null;
        S.holderArms[st.lock] = -1;
        S.sleepers[st.condvar].push(i);
        th.asleep = st.condvar;
        text = who + " unlocks " + st.lock + " and falls asleep on " + st.condvar;
        break;
      case "relock":
        S.holders[st.lock] = i;
        S.holderArms[st.lock] = a;
        text = who + " wakes up and locks " + st.lock;
        break;
      case "notify_one": {
        if (st.notify !== undefined) {
          var nq = S.notifies[st.notify];
          var first = null;
          for (var r = 0; r < nq.regs.length; r++) {
            if (!nq.regs[r].notified) {
              first = nq.regs[r];
              break;
            }
          }
          if (first) {
            first.notified = true;
            var woke = this.wakeCursor(first.task, first.arm, "notify", st.notify);
            text =
              who +
              " calls notify_one on " +
              st.notify +
              ": " +
              this.who(first.task, first.arm) +
              ", registered first, is notified" +
              (woke ? " and woken" : "");
          } else if (nq.permit) {
            text = who + " calls notify_one on " + st.notify + ": nobody is registered and a permit is already stored; nothing changes";
          } else {
            nq.permit = true;
            text = who + " calls notify_one on " + st.notify + ": nobody is registered, so " + st.notify + " stores the permit";
          }
          break;
        }
        var q = S.sleepers[st.condvar];
        var woken = q.shift();
        if (woken !== undefined) {
          S.threads[woken].asleep = null;
          text =
            who +
            " wakes " +
            this.c.threads[woken].name +
            ", the one asleep longest (std does not say which one wakes)";
        } else {
          text = who + " notifies " + st.condvar + ": nobody is asleep, nobody wakes";
        }
        break;
      }
      case "notify_all": {
        var all = S.sleepers[st.condvar];
        var names = all.map(function (k) {
          S.threads[k].asleep = null;
          return self.c.threads[k].name;
        });
        S.sleepers[st.condvar] = [];
        text =
          who +
          (names.length
            ? " wakes " + names.join(" and ")
            : " notifies " + st.condvar + ": nobody is asleep, nobody wakes");
        break;
      }
      case "notify_waiters": {
        var nw = S.notifies[st.notify];
        var told = [];
        nw.regs.forEach(function (reg) {
          if (reg.notified) return;
          reg.notified = true;
          var w = self.wakeCursor(reg.task, reg.arm, "notify", st.notify);
          told.push(self.who(reg.task, reg.arm) + (w ? " (woken)" : ""));
        });
        text =
          who +
          " calls notify_waiters on " +
          st.notify +
          ": " +
          (told.length
            ? "notifies " + told.join(" and ")
            : "nobody is registered, so nobody is notified, and nothing is stored");
        break;
      }
      case "register": {
        var nr = S.notifies[st.notify];
        var has = nr.regs.some(function (reg) {
          return reg.task === i && reg.arm === a;
        });
        if (!has) nr.regs.push({ task: i, arm: a, notified: false });
        text = who + " creates and enables its notified() on " + st.notify + ": it is registered from now on";
        break;
      }
      case "await": {
        if (st.notify !== undefined) {
          var n = S.notifies[st.notify];
          var mine = -1;
          for (var k = 0; k < n.regs.length; k++) {
            if (n.regs[k].task === i && n.regs[k].arm === a) mine = k;
          }
          if (mine >= 0 && n.regs[mine].notified) {
            n.regs.splice(mine, 1);
            text = who + " polls notified() on " + st.notify + ": it was notified, Ready";
          } else if (n.permit) {
            n.permit = false;
            if (mine >= 0) n.regs.splice(mine, 1);
            text = who + " polls notified() on " + st.notify + ": takes the stored permit, Ready";
          } else {
            if (mine < 0) n.regs.push({ task: i, arm: a, notified: false });
            cur.pend = { kind: "notify", on: st.notify };
            next = at;
            text =
              who +
              " polls notified() on " +
              st.notify +
              ": not notified, no permit: Pending (registered, it waits for a notify_one or notify_waiters)";
          }
        } else {
          var ready;
          try {
            ready = !!c.until(S.s, th.l);
          } catch (e) {
            fail(where, "until throws: " + e.message);
          }
          if (ready) {
            runFn();
            text = who + " polls " + collapse(st.code) + " \u2192 Ready";
          } else {
            var list = S.wakers[st.on];
            var listed = list.some(function (e) {
              return e.task === i && e.arm === a;
            });
            if (!listed) list.push({ task: i, arm: a });
            cur.pend = { kind: "waker", on: st.on };
            next = at;
            text = who + " polls " + collapse(st.code) + " \u2192 Pending (its waker waits on " + st.on + ")";
          }
        }
        break;
      }
      case "wake": {
        runFn();
        var waiting = S.wakers[st.on];
        S.wakers[st.on] = [];
        var wokenNames = [];
        waiting.forEach(function (e) {
          if (self.wakeCursor(e.task, e.arm, "waker", st.on)) wokenNames.push(self.who(e.task, e.arm));
        });
        text =
          who +
          " runs " +
          collapse(st.code) +
          " \u2192 " +
          (wokenNames.length ? "wakes " + wokenNames.join(" and ") : "nobody is pending on " + st.on + ", nobody wakes");
        break;
      }
      case "select": {
        if (a >= 0) fail(where, "a select inside a select arm");
        th.sel = {
          at: at,
          arms: c.arms.map(function (arm) {
            return { pc: arm.pc, pend: null };
          }),
          cur: null, // the arm in the middle of a poll, see midPoll
        };
        text =
          who +
          " starts the select: " +
          c.arms
            .map(function (arm) {
              return arm.name;
            })
            .join(" and ") +
          ", each polled in turn";
        next = at + 1; // where the task goes on is set by complete
        break;
      }
      case "complete": {
        if (a < 0) fail(where, "complete outside a select arm");
        var dropped = [];
        for (var b = 0; b < th.sel.arms.length; b++) {
          if (b !== a) dropped.push("the " + this.dropArm(i, b));
        }
        // The winner's own leftovers: its future is finished too.
        this.c.notifies.forEach(function (nn) {
          S.notifies[nn].regs = S.notifies[nn].regs.filter(function (reg) {
            return !(reg.task === i && reg.arm === a);
          });
        });
        this.c.wakers.forEach(function (w) {
          S.wakers[w] = S.wakers[w].filter(function (e) {
            return !(e.task === i && e.arm === a);
          });
        });
        this.c.locks.forEach(function (lk) {
          if (S.holders[lk] === i && S.holderArms[lk] === a) S.holderArms[lk] = -1;
        });
        var winner = this.arms(i)[a].name;
        th.sel = null;
        th.pc = c.target !== null ? c.target : at + 1;
        runFn();
        text =
          name +
          "'s " +
          winner +
          " is Ready: the select drops " +
          (dropped.length ? dropped.join("; and ") : "nothing") +
          (dropped.length ? ", cancelled where " + (dropped.length > 1 ? "they were" : "it was") : "");
        next = null;
        break;
      }
    }
    if (next !== null) {
      if (a >= 0) {
        if (next >= steps.length) fail(where, "an arm runs past the last step without reaching complete");
        cur.pc = next;
      } else {
        th.pc = next;
      }
    }
    // An arm that took a step and is not Pending is in the middle of its
    // poll: the task's next step is that arm's again.
    if (a >= 0 && th.sel) th.sel.cur = cur.pend ? null : a;
    if (!th.sel && th.pc >= steps.length) {
      th.done = true;
      text += "; " + name + " is done";
    }
    if (preempted >= 0) this.preemptions += 1;
    this.history.push(explicit ? i + 1 + "." + (a + 1) : i + 1);
    this.trail.push({ thread: i, arm: a, step: at, text: text, preempted: preempted });
    if (this.goalAt < 0 && this.goalReached()) this.goalAt = this.history.length - 1;
    var mark = markOf(st);
    return { ok: true, text: text, step: at, arm: a, mark: mark, loom: !!mark, preempted: preempted };
  };

  /** A click of a history ({thread, arm} 0-based, arm undefined for auto), or null. */
  Sim.prototype.parseClick = function (n) {
    var count = this.threadCount();
    if (typeof n === "number") {
      return n % 1 === 0 && n >= 1 && n <= count ? { thread: n - 1, arm: undefined } : null;
    }
    var m = /^(\d+)\.(\d+)$/.exec(String(n));
    if (!m) return null;
    var t = Number(m[1]);
    var a = Number(m[2]);
    return t >= 1 && t <= count && a >= 1 ? { thread: t - 1, arm: a - 1 } : null;
  };

  /**
   * Starts again and replays these clicks (N, or "N.A" for arm A of thread
   * N's select). Stops at the first click that cannot be taken; returns how
   * many were taken.
   */
  Sim.prototype.load = function (history) {
    this.reset();
    for (var k = 0; k < history.length; k++) {
      var click = this.parseClick(history[k]);
      if (!click) return k;
      if (!this.step(click.thread, click.arm).ok) return k;
    }
    return history.length;
  };

  /** Takes back the last click. */
  Sim.prototype.undo = function () {
    var h = this.history.slice(0, -1);
    this.load(h);
    return h.length;
  };

  /** The checker's printed execution (loom's or shuttle's): [{n, label, text}]. */
  function parseTrace(text) {
    var lines = String(text || "").split(/\r?\n/);
    var events = [];
    var on = false;
    for (var k = 0; k < lines.length; k++) {
      var line = lines[k];
      if (!on) {
        if (line.indexOf("The execution, step by step:") >= 0) on = true;
        continue;
      }
      if (/^\s*Then/.test(line)) break;
      var m = /^\s*(\d+)\.\s+(\S+)\s+(.*)$/.exec(line);
      if (m) events.push({ n: Number(m[1]), label: m[2], text: m[3] });
    }
    return events;
  }

  function completes(mark, ev) {
    if (mark === true) return true;
    return typeof mark === "string" && ev.text.indexOf(mark) >= 0;
  }

  /**
   * Thread i takes steps until one of them completes event ev (see REPLAY).
   * arm: the arm of its select it keeps to, once chosen (undefined: none
   * chosen yet). Returns {ok: true, mark: {thread, step}} or {ok: false,
   * reason}; on failure the sim is left wherever it stopped.
   */
  function playEvent(sim, i, ev, arm, budget) {
    var name = sim.c.threads[i].name;
    for (;;) {
      if (budget.left-- <= 0) return { ok: false, reason: name + " never reaches a step that the trace records" };
      var th = sim.state.threads[i];
      if (th.sel && arm === undefined) {
        var can = [];
        for (var a = 0; a < th.sel.arms.length; a++) {
          if (sim.canStep(i, a)) can.push(a);
        }
        if (can.length > 1) {
          var before = sim.snapshot();
          var firstFailure = null;
          for (var k = 0; k < can.length; k++) {
            if (k > 0) sim.restore(before);
            var tried = playEvent(sim, i, ev, can[k], budget);
            if (tried.ok) return tried;
            if (firstFailure === null) firstFailure = { snap: sim.snapshot(), result: tried };
          }
          sim.restore(firstFailure.snap);
          return firstFailure.result;
        }
      }
      var useArm = th.sel && arm !== undefined ? arm : undefined;
      // In a select whose chosen arm cannot step, another arm may: the task is polled.
      if (useArm !== undefined && !sim.canStep(i, useArm)) useArm = undefined;
      var r = sim.step(i, useArm);
      if (!r.ok) return { ok: false, reason: r.text };
      if (!sim.state.threads[i].sel) arm = undefined;
      if (r.mark !== undefined) {
        if (completes(r.mark, ev)) return { ok: true, mark: { thread: i, step: r.step } };
        return {
          ok: false,
          reason:
            name +
            "'s step " +
            (r.step + 1) +
            " (" +
            collapse(sim.c.threads[i].steps[r.step].src.code) +
            ") records another event" +
            (typeof r.mark === "string" ? " (\u201c" + r.mark + "\u201d)" : ""),
        };
      }
    }
  }

  /**
   * Replays the trace's events on a fresh state of sim, then the clicks of
   * then (default: the puzzle's trace.then). Returns {status:
   * "done"|"blocked", marks: [{event, thread, step}], stoppedAt (index of
   * the event that could not happen, events.length when a click of then
   * could not be taken, or -1), thenAt (that click's index), reason, goal,
   * preemptions (taken by the steps replayed)}.
   */
  function replay(sim, events, then_) {
    if (then_ === undefined) then_ = traceOf(sim.puzzle).then;
    sim.reset();
    var marks = [];
    var names = sim.names();
    for (var k = 0; k < events.length; k++) {
      var ev = events[k];
      var i = names.indexOf(ev.label);
      var reason = null;
      if (i < 0) {
        reason = "there is no " + sim.word() + " " + ev.label + " in this version";
      } else {
        var r = playEvent(sim, i, ev, undefined, { left: 10000 });
        if (r.ok) marks.push({ event: k, thread: r.mark.thread, step: r.mark.step });
        else reason = r.reason;
      }
      if (reason !== null) {
        return {
          status: "blocked",
          marks: marks,
          stoppedAt: k,
          reason: reason,
          goal: sim.goalReached(),
          preemptions: sim.preemptions,
        };
      }
    }
    var then = (then_ || []).slice();
    for (var j = 0; j < then.length; j++) {
      var click = sim.parseClick(then[j]);
      var r2 = click ? sim.step(click.thread, click.arm) : { ok: false, text: "the click " + then[j] + " names no " + sim.word() };
      if (!r2.ok) {
        return {
          status: "blocked",
          marks: marks,
          stoppedAt: events.length,
          thenAt: j,
          reason: r2.text,
          goal: sim.goalReached(),
          preemptions: sim.preemptions,
        };
      }
    }
    return {
      status: "done",
      marks: marks,
      stoppedAt: -1,
      reason: null,
      goal: sim.goalReached(),
      preemptions: sim.preemptions,
    };
  }

  /** Every click that thread i could be given now: N, or "N.A" for each arm of its select. */
  function clicksOf(sim) {
    var out = [];
    for (var i = 0; i < sim.threadCount(); i++) {
      var th = sim.state.threads[i];
      if (th.done) continue;
      if (th.sel) {
        for (var a = 0; a < th.sel.arms.length; a++) {
          if (sim.canStep(i, a)) out.push(i + 1 + "." + (a + 1));
        }
      } else if (sim.canStep(i)) {
        out.push(i + 1);
      }
    }
    return out;
  }

  /**
   * Searches every sequence of clicks of one version, breadth first, for one
   * after which the goal holds: the reader's whole freedom, every task or
   * thread that can step and every arm of a select that can. States already
   * seen are not searched again (the preemption count and the last thread to
   * step are part of the state when goal_when reads preemptions). Returns
   * {goal: the shortest clicks that reach it, or null; states: how many
   * states were seen; exhaustive: false when maxStates stopped the search}.
   */
  function explore(puzzle, versionName, maxStates) {
    if (maxStates === undefined) maxStates = 200000;
    var sim = new Sim(puzzle, versionName);
    var counts = /\bpreemptions\b/.test(String(puzzle.goal_when));
    function key() {
      var last = sim.trail.length ? sim.trail[sim.trail.length - 1].thread : -1;
      return JSON.stringify(counts ? [sim.state, sim.preemptions, last] : sim.state);
    }
    var seen = {};
    var states = 1;
    seen[key()] = true;
    var frontier = [{ snap: sim.snapshot(), clicks: [] }];
    while (frontier.length) {
      var next = [];
      for (var f = 0; f < frontier.length; f++) {
        sim.restore(frontier[f].snap);
        var options = clicksOf(sim);
        for (var o = 0; o < options.length; o++) {
          if (o > 0) sim.restore(frontier[f].snap);
          var click = sim.parseClick(options[o]);
          if (!sim.step(click.thread, click.arm).ok) continue;
          var clicks = frontier[f].clicks.concat([options[o]]);
          if (sim.goalReached()) return { goal: clicks, states: states, exhaustive: true };
          var k = key();
          if (seen[k]) continue;
          seen[k] = true;
          states += 1;
          if (states > maxStates) return { goal: null, states: states, exhaustive: false };
          next.push({ snap: sim.snapshot(), clicks: clicks });
        }
      }
      frontier = next;
    }
    return { goal: null, states: states, exhaustive: true };
  }

  /**
   * Plays walks of random clicks (a fixed seed, so a failure repeats) on
   * one version, each until every thread is done or none can step; returns
   * the clicks of the first walk that reaches the goal, or null. The
   * fallback of check when explore stops at its bound.
   */
  function randomWalks(puzzle, versionName, walks, maxClicks) {
    var sim = new Sim(puzzle, versionName);
    var seed = 12345;
    function rand(n) {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    }
    for (var w = 0; w < walks; w++) {
      sim.reset();
      var clicks = [];
      for (var c = 0; c < maxClicks; c++) {
        var options = clicksOf(sim);
        if (!options.length) break;
        var pick = options[rand(options.length)];
        var click = sim.parseClick(pick);
        if (!sim.step(click.thread, click.arm).ok) break;
        clicks.push(pick);
        if (sim.goalReached()) return clicks;
      }
    }
    return null;
  }

  /**
   * Every check a puzzle must pass, as a list of problems (empty: none):
   * both versions compile, the solution is taken whole and reaches the goal
   * in broken and does not in fixed, the trace's replay reaches the goal in
   * broken (or, with misses_goal, ends without it) and is blocked or misses
   * it in fixed. For node and the book's tests; the browser tests check the
   * same through the widget.
   */
  function check(puzzle, traceText) {
    var problems = [];
    var sims = {};
    ["broken", "fixed"].forEach(function (v) {
      try {
        sims[v] = new Sim(puzzle, v);
      } catch (e) {
        problems.push(v + ": " + e.message);
      }
    });
    if (problems.length) return problems;
    var events = parseTrace(traceText);
    if (!events.length) problems.push("the trace has no events");
    var solution = puzzle.solution || [];
    ["broken", "fixed"].forEach(function (v) {
      var sim = sims[v];
      var taken;
      try {
        taken = sim.load(solution);
      } catch (e) {
        problems.push(v + ": the solution throws: " + e.message);
        return;
      }
      var goal = sim.goalAt >= 0;
      if (v === "broken") {
        if (taken !== solution.length) {
          problems.push("broken: click " + (taken + 1) + " of the solution cannot be taken");
        } else if (!sim.goalReached()) {
          problems.push("broken: the solution does not reach the goal");
        }
      } else if (goal) {
        problems.push("fixed: the solution reaches the goal");
      }
      var r;
      try {
        r = replay(sim, events);
      } catch (e) {
        problems.push(v + ": the replay throws: " + e.message);
        return;
      }
      var misses = traceOf(puzzle).misses_goal;
      if (v === "broken") {
        if (r.status !== "done") {
          problems.push(
            "broken: the replay stops at event " + (events[r.stoppedAt] || {}).n + ": " + r.reason
          );
        } else if (misses ? r.goal : !r.goal) {
          problems.push(
            misses ? "broken: the replay reaches the goal, but misses_goal says it does not" : "broken: the replay does not reach the goal"
          );
        }
      } else if (r.status === "done" && r.goal) {
        problems.push("fixed: the replay reaches the goal");
      }
    });
    // The fixed version along every path the reader could click (or, where
    // that is too many states, along random walks): the goal is never
    // reached. A goal_when that holds whatever happens (a comparison that is
    // always true, say) shows up here, where the solution and the replay,
    // which stop early in fixed, would miss it.
    var ex;
    try {
      ex = explore(puzzle, "fixed");
    } catch (e) {
      problems.push("fixed: the search of every path throws: " + e.message);
      return problems;
    }
    var walk = ex.exhaustive ? ex.goal : randomWalks(puzzle, "fixed", 2000, 400);
    if (walk) {
      problems.push(
        "fixed: the goal is reached by the clicks " +
          JSON.stringify(walk) +
          (ex.exhaustive ? " (a search of every path)" : " (a random walk)")
      );
    }
    return problems;
  }

  var SchedEngine = {
    Sim: Sim,
    parseTrace: parseTrace,
    parseLoom: parseTrace,
    replay: replay,
    check: check,
    explore: explore,
    randomWalks: randomWalks,
    collapse: collapse,
    traceOf: traceOf,
    checkerOf: checkerOf,
    isAsync: isAsync,
    versions: ["broken", "fixed"],
  };

  if (typeof module !== "undefined" && module.exports) module.exports = SchedEngine;
  if (typeof window !== "undefined") window.SchedEngine = SchedEngine;
})(this);
