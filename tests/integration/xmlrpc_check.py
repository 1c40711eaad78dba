"""xmlrpc_check.py -- drive procd's XML-RPC API as supervisord's clients do
and check the answers against supervisord's documented shapes.

    /usr/bin/python3 xmlrpc_check.py unix:///path/to/sock
    /usr/bin/python3 xmlrpc_check.py http://127.0.0.1:PORT USER PASS

The config under test has programs "web" (sleep, autostart) and
"fail" (exits at once, autostart=false, startsecs=1, startretries=0).
Exits non-zero with the first mismatch on stderr."""
import sys
import xmlrpc.client

from supervisor import xmlrpc as sx

STATES = {"STOPPED": 0, "STARTING": 10, "RUNNING": 20, "BACKOFF": 30,
          "STOPPING": 40, "EXITED": 100, "FATAL": 200, "UNKNOWN": 1000}
INFO_KEYS = {"name": str, "group": str, "start": int, "stop": int,
             "now": int, "state": int, "statename": str, "spawnerr": str,
             "exitstatus": int, "logfile": str, "stdout_logfile": str,
             "stderr_logfile": str, "pid": int, "description": str}


def proxy(url, user=None, pw=None):
    if url.startswith("unix://"):
        t = sx.SupervisorTransport(user or "", pw or "", url)
        return xmlrpc.client.ServerProxy("http://127.0.0.1", transport=t)
    auth = "%s:%s@" % (user, pw) if user else ""
    return xmlrpc.client.ServerProxy(url.replace("http://",
                                                 "http://" + auth) + "/RPC2")


def check(cond, what):
    if not cond:
        sys.exit("FAIL: " + what)


def fault(code, fn, *args):
    try:
        fn(*args)
    except xmlrpc.client.Fault as f:
        check(f.faultCode == code, "%s%r: fault %d (%s), expected %d" % (
            fn._Method__name, args, f.faultCode, f.faultString, code))
        return f
    sys.exit("FAIL: %s%r did not fault" % (fn._Method__name, args))


def info_shape(i):
    for k, t in INFO_KEYS.items():
        check(k in i, "process info lacks %s: %r" % (k, i))
        check(isinstance(i[k], t), "%s is %r" % (k, type(i[k])))
    check(STATES[i["statename"]] == i["state"], "state code %r" % (i,))


def main():
    s = proxy(*sys.argv[1:])
    sup = s.supervisor
    check(sup.getAPIVersion() == "3.0", "getAPIVersion")
    check(sup.getVersion() == "3.0", "getVersion")
    check(isinstance(sup.getSupervisorVersion(), str), "getSupervisorVersion")
    check(sup.getIdentification() == "supervisor", "getIdentification")
    check(sup.getState() == {"statecode": 1, "statename": "RUNNING"},
          "getState")
    check(isinstance(sup.getPID(), int) and sup.getPID() > 1, "getPID")

    infos = sup.getAllProcessInfo()
    check(sorted(i["name"] for i in infos) == ["fail", "web"], repr(infos))
    for i in infos:
        info_shape(i)
    web = sup.getProcessInfo("web")
    info_shape(web)
    check(web["statename"] == "RUNNING" and web["pid"] > 0, repr(web))
    check(web["description"].startswith("pid %d, uptime " % web["pid"]),
          repr(web["description"]))
    fault(sx.Faults.BAD_NAME, sup.getProcessInfo, "nosuch")

    # start / stop and their faults
    fault(sx.Faults.ALREADY_STARTED, sup.startProcess, "web")
    check(sup.stopProcess("web") is True, "stopProcess")
    check(sup.getProcessInfo("web")["statename"] == "STOPPED", "stopped")
    fault(sx.Faults.NOT_RUNNING, sup.stopProcess, "web")
    check(sup.startProcess("web") is True, "startProcess")
    fault(sx.Faults.BAD_NAME, sup.startProcess, "nosuch")
    fault(sx.Faults.BAD_NAME, sup.stopProcess, "nosuch")
    # A program that dies before startsecs: supervisord says SPAWN_ERROR
    # or ABNORMAL_TERMINATION depending on when it sees the exit.
    try:
        sup.startProcess("fail")
        sys.exit("FAIL: startProcess(fail) did not fault")
    except xmlrpc.client.Fault as f:
        check(f.faultCode in (sx.Faults.SPAWN_ERROR,
                              sx.Faults.ABNORMAL_TERMINATION) and
              f.faultString.endswith(": fail"), f.faultString)
    fault(sx.Faults.INCORRECT_PARAMETERS, sup.startProcess)
    fault(sx.Faults.UNKNOWN_METHOD, getattr(sup, "noSuchMethod"))
    fault(sx.Faults.UNKNOWN_METHOD, getattr(s, "os.system"), "true")

    # groups and all: supervisord's result structs
    r = sup.stopProcessGroup("web")
    check(r == [{"name": "web", "group": "web", "status": 80,
                 "description": "OK"}], repr(r))
    r = sup.startProcessGroup("web")
    check([x["status"] for x in r] == [80], repr(r))
    check(sup.startProcessGroup("web") == [], "group start: nothing to do")
    fault(sx.Faults.BAD_NAME, sup.startProcessGroup, "nosuch")
    r = sup.stopAllProcesses()
    check([x["name"] for x in r] == ["web"], repr(r))
    r = sup.startAllProcesses()
    check(sorted(x["name"] for x in r) == ["fail", "web"], repr(r))
    for x in r:
        check(set(x) == {"name", "group", "status", "description"}, repr(x))

    # signals
    check(sup.signalProcess("web", "USR2") is not None or True, "signal")
    fault(sx.Faults.BAD_SIGNAL, sup.signalProcess, "web", "NOSUCHSIG")
    fault(sx.Faults.BAD_NAME, sup.signalProcess, "nosuch", "HUP")
    r = sup.signalProcessGroup("web", "CONT")
    check([x["status"] for x in r] == [80], repr(r))
    r = sup.signalAllProcesses("CONT")
    check(all(set(x) == {"name", "group", "status", "description"}
              for x in r), repr(r))

    # logs
    out = sup.readProcessStdoutLog("web", -100, 0)
    check("web says hi" in out, repr(out))
    check(isinstance(sup.readProcessStderrLog("web", -100, 0), str),
          "stderr log")
    fault(sx.Faults.BAD_NAME, sup.readProcessStdoutLog, "nosuch", -10, 0)
    check(" INFO " in sup.readLog(-2000, 0), "readLog")
    check(sup.clearProcessLogs("web") is True, "clearProcessLogs")
    check(isinstance(sup.clearAllProcessLogs(), list), "clearAllProcessLogs")

    # configuration
    check(sup.reloadConfig() == [[[], [], []]], repr(sup.reloadConfig()))
    ci = sup.getAllConfigInfo()
    check(sorted(c["name"] for c in ci) == ["fail", "web"], repr(ci))
    fault(sx.Faults.ALREADY_ADDED, sup.addProcessGroup, "web")
    fault(sx.Faults.BAD_NAME, sup.addProcessGroup, "nosuch")
    fault(sx.Faults.STILL_RUNNING, sup.removeProcessGroup, "web")

    # system.*
    methods = s.system.listMethods()
    check("supervisor.getAllProcessInfo" in methods and
          "system.multicall" in methods, repr(methods))
    check(s.system.methodSignature("supervisor.getProcessInfo") ==
          ["struct", "string"], "methodSignature")
    check(isinstance(s.system.methodHelp("supervisor.getPID"), str),
          "methodHelp")
    fault(sx.Faults.SIGNATURE_UNSUPPORTED, s.system.methodHelp, "x.y")
    r = s.system.multicall([
        {"methodName": "supervisor.getAPIVersion", "params": []},
        {"methodName": "supervisor.getProcessInfo", "params": ["nosuch"]},
    ])
    check(r[0] == "3.0" and r[1]["faultCode"] == sx.Faults.BAD_NAME, repr(r))
    print("ok")


if __name__ == "__main__":
    main()
