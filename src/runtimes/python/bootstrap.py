"""Nimbus's Python runtime client: an ordinary Lambda Runtime API client (standard library only).

Started in an execution environment as ``python3 -u bootstrap.py`` with the standard Lambda
variables, it talks to the environment only through the Runtime API
(https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html) over one persistent HTTP
connection, and behaves like AWS's own runtime (aws-lambda-python-runtime-interface-client):

  init:   logging → import ``_HANDLER`` (``path/to/module.function``) → on failure
          POST /runtime/init/error and exit 1
  invoke: GET /runtime/invocation/next → handler(event, context)
          → POST /runtime/invocation/{id}/response | /error → GET next ...

Errors are posted as ``{"errorMessage", "errorType", "requestId", "stackTrace"}`` with the
user's frames only. The root ``logging`` logger writes
``[LEVEL]\\t<time>Z\\t<request id>\\t<message>`` (one line per record: inner newlines become "\\r");
``print`` goes to stdout untouched.

Not provided: Decimal results, SnapStart hooks, the telemetry log fd, X-Ray error causes.
"""

import http.client
import importlib
import json
import logging
import os
import socket
import sys
import time
import traceback

API_PREFIX = "/2018-06-01/runtime"
ERROR_TYPE_HEADER = "Lambda-Runtime-Function-Error-Type"
LAMBDA_WARNING = (
    "LAMBDA_WARNING: Unhandled exception. The most likely cause is an issue in the function code. "
    "However, in rare cases, a Lambda runtime update can cause unexpected function behavior. "
    "For functions using managed runtimes, runtime updates can be triggered by a function change, "
    "or can be applied automatically. To determine if the runtime has been updated, check the "
    "runtime version in the INIT_START log entry. If this error correlates with a change in the "
    "runtime version, you may be able to mitigate this error by temporarily rolling back to the "
    "previous runtime version. For more information, see "
    "https://docs.aws.amazon.com/lambda/latest/dg/runtimes-update.html"
)
ERROR_LOG_LINE_TERMINATE = "\r"
ERROR_LOG_IDENT = "\u00a0"  # AWS indents error traces with no-break spaces

_current_request_id = None


class FaultException(Exception):
    """A fault of the runtime's own, reported with one of Lambda's ``Runtime.*`` types."""

    MARSHAL_ERROR = "Runtime.MarshalError"
    UNMARSHAL_ERROR = "Runtime.UnmarshalError"
    USER_CODE_SYNTAX_ERROR = "Runtime.UserCodeSyntaxError"
    HANDLER_NOT_FOUND = "Runtime.HandlerNotFound"
    IMPORT_MODULE_ERROR = "Runtime.ImportModuleError"
    BUILT_IN_MODULE_CONFLICT = "Runtime.BuiltInModuleConflict"
    MALFORMED_HANDLER_NAME = "Runtime.MalformedHandlerName"
    LAMBDA_CONTEXT_UNMARSHAL_ERROR = "Runtime.LambdaContextUnmarshalError"

    def __init__(self, exception_type, msg, trace=None):
        super().__init__(msg)
        self.exception_type = exception_type
        self.msg = msg
        self.trace = trace


# --------------------------------------------------------------------------------------------
# Runtime API client: one keep-alive connection, requests strictly in sequence.


# In a Nimbus sandbox, 127.0.0.1:9001 is a relay (socat) to the environment's own Runtime API
# socket; talking to the socket directly saves the relay's two extra hops per message.
_DIRECT_SOCKET = "/run/nimbus/runtime-api.sock"


class _Connection(http.client.HTTPConnection):
    def __init__(self, host, port, socket_path=None):
        super().__init__(host, port)
        self._socket_path = socket_path

    def connect(self):
        if self._socket_path:
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            sock.connect(self._socket_path)
            self.sock = sock
            return
        super().connect()
        # Small request/response pairs: never wait for Nagle's algorithm.
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


class RuntimeApiClient:
    def __init__(self, address):
        host, _, port = address.rpartition(":")
        host, port = host.strip("[]") or "127.0.0.1", int(port or 9001)
        direct = host == "127.0.0.1" and port == 9001 and os.path.exists(_DIRECT_SOCKET)
        self._conn = _Connection(host, port, _DIRECT_SOCKET if direct else None)

    def _request(self, method, path, body=None, headers=None):
        """Returns (status, headers, body). A connection the server closed while idle is
        reopened once (a duplicate post is refused by the Runtime API, never applied twice)."""
        for attempt in (1, 2):
            try:
                self._conn.request(method, path, body, headers or {})
                response = self._conn.getresponse()
                return response.status, response.headers, response.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self._conn.close()
                if attempt == 2:
                    raise

    def wait_next_invocation(self):
        status, headers, body = self._request("GET", API_PREFIX + "/invocation/next")
        if status != 200:
            raise RuntimeError("GET /invocation/next: status {}: {!r}".format(status, body))
        return body, headers

    def post_invocation_result(self, invoke_id, result, content_type):
        self._request(
            "POST",
            "{}/invocation/{}/response".format(API_PREFIX, invoke_id),
            result,
            {"Content-Type": content_type},
        )

    def post_invocation_error(self, invoke_id, error_result):
        self._post_error("{}/invocation/{}/error".format(API_PREFIX, invoke_id), error_result)

    def post_init_error(self, error_result):
        self._post_error(API_PREFIX + "/init/error", error_result)

    def _post_error(self, path, error_result):
        headers = {
            "Content-Type": "application/json",
            # Header values must be latin-1 text without control characters.
            ERROR_TYPE_HEADER: "".join(
                c for c in error_result["errorType"] if c == "\t" or " " <= c <= "~" or "\x80" <= c <= "\xff"
            ),
        }
        self._request("POST", path, to_json(error_result).encode("utf-8"), headers)


# --------------------------------------------------------------------------------------------
# JSON, as AWS marshals it: Python's default separators; non-ASCII kept as is from python3.12 on.


def _ensure_ascii():
    runtime = os.environ.get("AWS_EXECUTION_ENV", "")
    prefix = "AWS_Lambda_python3."
    if runtime.startswith(prefix):
        try:
            return int(runtime[len(prefix):]) < 12
        except ValueError:
            pass
    return True


_encoder = json.JSONEncoder(ensure_ascii=_ensure_ascii())


def to_json(obj):
    return _encoder.encode(obj)


def unmarshal_event(body, content_type):
    if content_type and not content_type.startswith("application/json"):
        return body
    try:
        return json.loads(body)
    except Exception as e:
        raise FaultException(FaultException.UNMARSHAL_ERROR, "Unable to unmarshal input: {}".format(e))


def marshal_response(response):
    if isinstance(response, bytes):
        return response, "application/unknown"
    try:
        return to_json(response).encode("utf-8"), "application/json"
    except Exception as e:
        raise FaultException(FaultException.MARSHAL_ERROR, "Unable to marshal response: {}".format(e))


# --------------------------------------------------------------------------------------------
# The handler


def get_handler(handler):
    try:
        modname, fname = handler.rsplit(".", 1)
    except ValueError as e:
        raise FaultException(FaultException.MALFORMED_HANDLER_NAME, "Bad handler '{}': {}".format(handler, e))
    try:
        if modname.split(".")[0] in sys.builtin_module_names:
            raise FaultException(
                FaultException.BUILT_IN_MODULE_CONFLICT,
                "Cannot use built-in module {} as a handler module".format(modname),
            )
        module = importlib.import_module(modname.replace("/", "."))
    except ImportError as e:
        raise FaultException(FaultException.IMPORT_MODULE_ERROR, "Unable to import module '{}': {}".format(modname, e))
    except SyntaxError as e:
        trace = ['  File "%s" Line %s\n    %s' % (e.filename, e.lineno, e.text)]
        raise FaultException(
            FaultException.USER_CODE_SYNTAX_ERROR, "Syntax error in module '{}': {}".format(modname, e), trace
        )
    try:
        return getattr(module, fname)
    except AttributeError:
        raise FaultException(
            FaultException.HANDLER_NOT_FOUND, "Handler '{}' missing on module '{}'".format(fname, modname)
        )


def make_error(error_message, error_type, stack_trace, invoke_id=None):
    return {
        "errorMessage": error_message if error_message else "",
        "errorType": error_type if error_type else "",
        "requestId": invoke_id if invoke_id is not None else "",
        "stackTrace": stack_trace if stack_trace else [],
    }


def user_frames(tb):
    """The traceback from the first frame outside this file: the user's code."""
    frames = [(f.filename, f.lineno, f.name, f.line) for f in traceback.extract_tb(tb)]
    for i, frame in enumerate(frames):
        if "/bootstrap.py" not in frame[0]:
            return frames[i:]
    return frames


def fault_result(exc_info, invoke_id=None):
    etype, value, tb = exc_info
    if isinstance(value, FaultException):
        return make_error(value.msg, value.exception_type, value.trace, invoke_id)
    return make_error(str(value), etype.__name__, traceback.format_list(user_frames(tb)), invoke_id)


# --------------------------------------------------------------------------------------------
# The context object (https://docs.aws.amazon.com/lambda/latest/dg/python-context.html)


class CognitoIdentity(object):
    __slots__ = ["cognito_identity_id", "cognito_identity_pool_id"]

    def __repr__(self):
        return "CognitoIdentity([cognito_identity_id={},cognito_identity_pool_id={}])".format(
            self.cognito_identity_id, self.cognito_identity_pool_id
        )


class Client(object):
    __slots__ = ["installation_id", "app_title", "app_version_name", "app_version_code", "app_package_name"]

    def __repr__(self):
        return "Client([{}])".format(",".join("{}={}".format(k, getattr(self, k)) for k in self.__slots__))


class ClientContext(object):
    __slots__ = ["custom", "env", "client"]

    def __repr__(self):
        return "ClientContext([custom={},env={},client={}])".format(self.custom, self.env, self.client)


def _from_dict(cls, values):
    if values is None:
        return None
    obj = cls()
    for field in cls.__slots__:
        setattr(obj, field, values.get(field))
    return obj


class LambdaContext(object):
    def __init__(self, invoke_id, client_context, cognito_identity, epoch_deadline_time_in_ms, invoked_function_arn):
        self.aws_request_id = invoke_id
        self.log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME")
        self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME")
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME")
        self.memory_limit_in_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
        self.function_version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION")
        self.invoked_function_arn = invoked_function_arn
        self.client_context = _from_dict(ClientContext, client_context)
        if self.client_context is not None:
            self.client_context.client = _from_dict(Client, self.client_context.client)
        self.identity = _from_dict(CognitoIdentity, {})
        if cognito_identity is not None:
            self.identity.cognito_identity_id = cognito_identity.get("cognitoIdentityId")
            self.identity.cognito_identity_pool_id = cognito_identity.get("cognitoIdentityPoolId")
        self._epoch_deadline_time_in_ms = epoch_deadline_time_in_ms

    def get_remaining_time_in_millis(self):
        remaining = self._epoch_deadline_time_in_ms - int(time.time() * 1000)
        return remaining if remaining > 0 else 0

    def log(self, msg):
        sys.stdout.write(str(msg))

    def __repr__(self):
        return (
            "LambdaContext([aws_request_id={},log_group_name={},log_stream_name={},function_name={},"
            "memory_limit_in_mb={},function_version={},invoked_function_arn={},client_context={},identity={}])"
        ).format(
            self.aws_request_id,
            self.log_group_name,
            self.log_stream_name,
            self.function_name,
            self.memory_limit_in_mb,
            self.function_version,
            self.invoked_function_arn,
            self.client_context,
            self.identity,
        )


def _parse_json_header(value, name):
    if not value:
        return None
    try:
        return json.loads(value)
    except Exception as e:
        raise FaultException(
            FaultException.LAMBDA_CONTEXT_UNMARSHAL_ERROR, "Unable to parse {} JSON: {}".format(name, e)
        )


# --------------------------------------------------------------------------------------------
# Logging


def _one_line(text):
    """One log record is one stdout line: inner newlines become carriage returns."""
    if text.endswith("\n"):
        text = text[:-1]
    return text.replace("\n", "\r") + "\n"


class LambdaLoggerHandler(logging.Handler):
    def emit(self, record):
        try:
            sys.stdout.write(_one_line(self.format(record)))
        except Exception:
            self.handleError(record)


class LambdaLoggerFilter(logging.Filter):
    def filter(self, record):
        record.aws_request_id = _current_request_id or ""
        return True


class JsonFormatter(logging.Formatter):
    """AWS_LAMBDA_LOG_FORMAT=JSON: one JSON object per record, extra fields included."""

    _RESERVED = {
        "name", "msg", "args", "levelname", "levelno", "pathname", "filename", "module", "exc_info",
        "exc_text", "stack_info", "lineno", "funcName", "created", "msecs", "relativeCreated", "thread",
        "threadName", "processName", "process", "taskName", "aws_request_id",
    }

    def format(self, record):
        levelno = min(50, max(0, record.levelno)) // 10 * 10
        created = time.gmtime(record.created)
        result = {
            "timestamp": time.strftime("%Y-%m-%dT%H:%M:%S", created) + ".%03dZ" % record.msecs,
            "level": logging.getLevelName(levelno),
            "message": record.getMessage(),
            "logger": record.name,
            "requestId": getattr(record, "aws_request_id", None),
        }
        if record.exc_info:
            result["errorType"] = record.exc_info[0].__name__
            result["errorMessage"] = str(record.exc_info[1])
            result["stackTrace"] = traceback.format_tb(record.exc_info[2])
            result["location"] = "{}:{}:{}".format(record.pathname, record.funcName, record.lineno)
        for key, value in record.__dict__.items():
            if key not in self._RESERVED and key not in result:
                result[key] = value
        return json.dumps({k: v for k, v in result.items() if v is not None}, ensure_ascii=False, default=str)


_JSON_LOGS = os.environ.get("AWS_LAMBDA_LOG_FORMAT", "").upper() == "JSON"


def setup_logging():
    for stream in (sys.stdout, sys.stderr):
        # `python3 -u` (write-through) is how the catalogue starts us; without it, flush every line.
        if not getattr(stream, "write_through", True):
            stream.reconfigure(line_buffering=True)
    logging.Formatter.converter = time.gmtime
    handler = LambdaLoggerHandler()
    if _JSON_LOGS:
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(
            logging.Formatter(
                "[%(levelname)s]\t%(asctime)s.%(msecs)03dZ\t%(aws_request_id)s\t%(message)s\n",
                "%Y-%m-%dT%H:%M:%S",
            )
        )
    handler.addFilter(LambdaLoggerFilter())
    root = logging.getLogger()
    level = os.environ.get("AWS_LAMBDA_LOG_LEVEL")
    level = {"TRACE": "DEBUG"}.get(level.upper(), level.upper()) if level else ""
    if isinstance(logging.getLevelName(level), int):
        root.setLevel(level)
    root.addHandler(handler)


def log_error(error_result):
    """The runtime's own record of a failed init or invoke, as AWS prints it."""
    if _JSON_LOGS:
        record = {"timestamp": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime()), "level": "ERROR"}
        record.update(error_result)
        sys.stdout.write(_one_line(to_json(record)))
        return
    description = "[ERROR]"
    if error_result.get("errorType"):
        description += " " + error_result["errorType"]
    if error_result.get("errorMessage"):
        if error_result.get("errorType"):
            description += ":"
        description += " " + error_result["errorMessage"]
    lines = [description]
    stack_trace = error_result.get("stackTrace")
    if stack_trace is not None:
        lines.append("Traceback (most recent call last):")
        for element in stack_trace:
            if element == "":
                lines.append("")
                continue
            for line in element.splitlines():
                indent = len(line) - len(line.lstrip(" "))
                lines.append(ERROR_LOG_IDENT * indent + line[indent:])
    sys.stdout.write(ERROR_LOG_LINE_TERMINATE.join(lines).replace("\n", "\r") + "\n")


# --------------------------------------------------------------------------------------------
# Main loop


def handle_invoke(client, request_handler, body, headers):
    global _current_request_id
    invoke_id = headers.get("Lambda-Runtime-Aws-Request-Id")
    _current_request_id = invoke_id
    trace_id = headers.get("Lambda-Runtime-Trace-Id")
    if trace_id is not None:
        os.environ["_X_AMZN_TRACE_ID"] = trace_id
    else:
        os.environ.pop("_X_AMZN_TRACE_ID", None)

    error_result = None
    try:
        deadline = headers.get("Lambda-Runtime-Deadline-Ms")
        context = LambdaContext(
            invoke_id,
            _parse_json_header(headers.get("Lambda-Runtime-Client-Context"), "Client Context"),
            _parse_json_header(headers.get("Lambda-Runtime-Cognito-Identity"), "Cognito Identity"),
            int(deadline) if deadline else 0,
            headers.get("Lambda-Runtime-Invoked-Function-Arn"),
        )
        event = unmarshal_event(body, headers.get("Content-Type"))
        response = request_handler(event, context)
        result, content_type = marshal_response(response)
    except Exception:
        error_result = fault_result(sys.exc_info(), invoke_id)

    if error_result is not None:
        log_error(error_result)
        client.post_invocation_error(invoke_id, error_result)
    else:
        client.post_invocation_result(invoke_id, result, content_type)


def main():
    task_root = os.environ.get("LAMBDA_TASK_ROOT") or os.getcwd()
    # The function's code comes first; this script's own folder must not shadow its modules.
    script_dir = os.path.dirname(os.path.abspath(__file__))
    sys.path[:] = [task_root] + [p for p in sys.path if p and os.path.abspath(p) != script_dir and p != task_root]

    client = RuntimeApiClient(os.environ.get("AWS_LAMBDA_RUNTIME_API", "127.0.0.1:9001"))
    setup_logging()

    try:
        request_handler = get_handler(os.environ.get("_HANDLER", ""))
    except Exception:
        error_result = fault_result(sys.exc_info())
        logging.warning(LAMBDA_WARNING)
        log_error(error_result)
        client.post_init_error(error_result)
        sys.exit(1)

    while True:
        try:
            body, headers = client.wait_next_invocation()
        except Exception as e:
            sys.stderr.write("nimbus runtime: GET /invocation/next failed: {}\n".format(e))
            sys.exit(1)
        handle_invoke(client, request_handler, body, headers)


if __name__ == "__main__":
    main()
