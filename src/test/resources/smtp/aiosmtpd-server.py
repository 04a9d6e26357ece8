#!/usr/bin/python3
"""A real SMTP server for the tests, on loopback: Debian's python3-aiosmtpd (aio-libs).

  aiosmtpd-server.py [--cert PEM --key PEM [--user NAME --password SECRET]] [--no-data]

With --cert and --key it offers STARTTLS and requires it (530 to MAIL before it), and AUTH
only after it; without them it offers no STARTTLS at all. It listens on a free port of
127.0.0.1, prints "PORT n" first, then one JSON line per message accepted: the envelope,
whether the session had been upgraded to TLS (protocol and cipher), the login used, and the
message's bytes in base64 (none with --no-data: bench/throughput-writes.sh only counts the
lines). It stops when its standard input closes (the test ended).
"""
import argparse
import asyncio
import base64
import json
import ssl
import sys

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


class Recorder:
    def __init__(self, data):
        self.data = data

    async def handle_DATA(self, server, session, envelope):
        tls = session.ssl
        ssl_object = tls.get("ssl_object") if tls else None
        login = session.auth_data.login.decode() if isinstance(session.auth_data, LoginPassword) else None
        print(json.dumps({
            "from": envelope.mail_from,
            "to": envelope.rcpt_tos,
            "tls": ssl_object.version() if ssl_object else None,
            "cipher": ssl_object.cipher()[0] if ssl_object else None,
            "login": login,
            "data": base64.b64encode(envelope.original_content or envelope.content).decode() if self.data else None,
        }), flush=True)
        return "250 OK"


def authenticator(user, password):
    def check(server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword)
              and auth_data.login == user.encode() and auth_data.password == password.encode())
        return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)
    return check


async def main():
    a = argparse.ArgumentParser()
    a.add_argument("--cert")
    a.add_argument("--key")
    a.add_argument("--user")
    a.add_argument("--password")
    a.add_argument("--no-data", action="store_true")
    args = a.parse_args()
    tls = None
    if args.cert:
        tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        tls.load_cert_chain(args.cert, args.key)
    options = {}
    if args.user:
        options = dict(authenticator=authenticator(args.user, args.password), auth_required=True,
                       auth_require_tls=True)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: SMTP(Recorder(not args.no_data), hostname="smtp.test", tls_context=tls, require_starttls=tls is not None,
                     loop=loop, **options),
        host="127.0.0.1", port=0)
    print("PORT", server.sockets[0].getsockname()[1], flush=True)
    # the test holds our standard input: when it closes, we stop
    await loop.run_in_executor(None, sys.stdin.read)
    server.close()


asyncio.run(main())
