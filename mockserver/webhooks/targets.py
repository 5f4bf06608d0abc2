"""Where webhooks may go: never to this server itself, and not to link-local or cloud metadata addresses.

Two checks share one rule. When a client gives a URL (validation) nothing is resolved:
an IP literal is checked as it is, and a name only by what it says (`localhost`, this
server's host name, a metadata name); no DNS lookup ever delays a request. When an
attempt connects (delivery), every address the name resolves to is checked again, and
the connection goes to the address that was checked, so a name that changed (or always
pointed here) cannot slip through: the attempt is recorded as failed and nothing is sent.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass, field
from urllib.parse import urlsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
DEFAULT_PORTS = {"http": 80, "https": 443}
# Cloud metadata endpoints outside 169.254.0.0/16 and fe80::/10 (Alibaba, AWS over IPv6).
METADATA_ADDRESSES = frozenset({ipaddress.ip_address("100.100.100.200"), ipaddress.ip_address("fd00:ec2::254")})
METADATA_NAMES = frozenset({"metadata.google.internal", "metadata.goog"})
LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"})
OWN_ADDRESS = "is this mock server's own address (port {port}): it would call its own API"
PRIVATE_ONLY = "(allowed only with --webhook-allow-private)"


def resolve(host: str, port: int) -> list[tuple]:
    """The addresses a connection to host:port may use (the system resolver; at delivery time only)."""
    return socket.getaddrinfo(host, port, 0, socket.SOCK_STREAM)


class TargetRefused(OSError):
    """A delivery's address is one the server never sends to (raised while connecting)."""


def numeric_address(host: str) -> IPAddress | None:
    """`host` as an IP address if it is one in any form the resolver accepts (`127.1`, `2130706433`); never a lookup."""
    try:
        infos = socket.getaddrinfo(host, None, flags=socket.AI_NUMERICHOST)
    except (OSError, UnicodeError, ValueError):
        return None
    return ipaddress.ip_address(infos[0][4][0].split("%", 1)[0])


def is_local_address(address: IPAddress) -> bool:
    """Whether connecting to `address` reaches this machine: loopback, unspecified, or one of its interfaces."""
    if address.is_loopback or address.is_unspecified:
        return True
    # An address this machine can bind to is one of its own (no packet is sent).
    family = socket.AF_INET6 if address.version == 6 else socket.AF_INET
    try:
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.bind((str(address), 0))
    except OSError:
        return False
    return True


def _unmapped(address: IPAddress) -> IPAddress:
    # ::ffff:169.254.169.254 is 169.254.169.254.
    mapped = getattr(address, "ipv4_mapped", None)
    return mapped or address


@dataclass(frozen=True)
class TargetRules:
    """The rule for one server: its port and host names, and whether link-local targets are allowed."""

    port: int | None
    host_names: frozenset[str] = field(default_factory=frozenset)
    allow_private: bool = False

    @classmethod
    def for_server(cls, host: str, port: int, allow_private: bool) -> TargetRules:
        """The rules of a server listening on host:port (port 0: not known yet, see `listening_on`)."""
        names = {_name(host), _name(socket.gethostname())} - {""}
        return cls(port or None, frozenset(names), allow_private)

    def refusal(self, url: str) -> str | None:
        """Why a client-given URL is refused (validation: no lookup), or None."""
        parts = urlsplit(url)
        try:
            port = parts.port or DEFAULT_PORTS.get(parts.scheme.lower())
        except ValueError:
            return "has an invalid port"
        name = _name(parts.hostname or "")
        address = numeric_address(name)
        if address is not None:
            return self.address_refusal(address, port)
        if name in METADATA_NAMES and not self.allow_private:
            return f"is a cloud metadata address {PRIVATE_ONLY}"
        if port == self.port and (name in LOOPBACK_NAMES or name.endswith(".localhost") or name in self.host_names):
            return OWN_ADDRESS.format(port=port)
        return None

    def address_refusal(self, address: IPAddress, port: int | None) -> str | None:
        """Why an address (a literal, or what a name resolved to) is refused, or None."""
        address = _unmapped(address)
        if port == self.port and port is not None and is_local_address(address):
            return OWN_ADDRESS.format(port=port)
        if not self.allow_private and (address.is_link_local or address in METADATA_ADDRESSES):
            return f"is a link-local or cloud metadata address {PRIVATE_ONLY}"
        return None

    def connect(self, address: tuple[str, int], timeout: float | None = None, source_address=None) -> socket.socket:
        """socket.create_connection, refusing (TargetRefused) any resolved address the rule forbids."""
        host, port = address
        resolved = resolve(host, port)
        # Every address the name resolves to is checked before any is tried.
        for *_, sockaddr in resolved:
            reason = self.address_refusal(ipaddress.ip_address(sockaddr[0].split("%", 1)[0]), port)
            if reason is not None:
                raise TargetRefused(f"not sent: {host}:{port} resolves to {sockaddr[0]}, which {reason}")
        # Then connect to exactly the addresses that were checked.
        error: OSError | None = None
        for family, kind, proto, _canonical, sockaddr in resolved:
            sock = socket.socket(family, kind, proto)
            try:
                sock.settimeout(timeout)
                if source_address:
                    sock.bind(source_address)
                sock.connect(sockaddr)
                return sock
            except OSError as exc:
                error = exc
                sock.close()
        raise error or OSError(f"{host} resolves to no address")


def _name(host: str) -> str:
    # Host names compare case-insensitively and without a trailing dot.
    return host.strip("[]").lower().rstrip(".")
