"""Keeping fetches off loopback, private and other non-public addresses (SSRF).

Checking the URL's text is not enough: ``0x7f000001``, ``2130706433``, ``017700000001`` and
``localhost.`` all reach 127.0.0.1, and a public name can resolve to (or be rebound to) an
internal address. So the check is made on what the connection will really use: a resolver
that refuses a host when ANY of its resolved addresses is not global, and a check of IP
literals (which aiohttp connects to without resolving). The fetcher uses both on every request,
so every redirect hop and every article page is checked too. The addresses checked are the
ones connected to, so a rebinding DNS gains nothing between check and connect.

The host judged is the one the client will use, not the one typed: yarl (under aiohttp) maps
hosts through IDNA/UTS-46, so ``①②⑦.0.0.1``, full-width ``１２７.０.０.１`` and ``127。0。0。1`` all
become the literal 127.0.0.1, which aiohttp then connects to without asking the resolver.
``client_host`` gives that normalised host; and as a last gate that no spelling can get
around, ``guarded_socket_factory`` refuses to open a socket to a non-public address at all.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable

from aiohttp import AddrInfoType, SocketFactoryType
from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.resolver import DefaultResolver
from yarl import URL

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Policy = Callable[[IPAddress], bool]  # may this address be reached?


class BlockedAddressError(Exception):
    """The host is (or resolves to) an address feeds may not reach."""

    def __init__(self, host: str) -> None:
        super().__init__(host)
        self.reason = (f"refused: {host[:100]} is on a private, loopback or otherwise "
                       "non-public address (feeds.allow_private_hosts allows it)")


# IPv6 prefixes that carry an IPv4 address in their last 32 bits and may be translated to it
# (NAT64 well-known and local-use, IPv4-compatible, SIIT IPv4-translated): judged as that IPv4.
_EMBEDDING = tuple(ipaddress.IPv6Network(n) for n in (
    "64:ff9b::/96", "64:ff9b:1::/48", "::/96", "::ffff:0:0:0/96"))


def is_public(address: IPAddress) -> bool:
    """Globally routable unicast; an IPv4 address carried in IPv6 (mapped, 6to4, Teredo,
    NAT64, IPv4-compatible or -translated) is judged as that IPv4 address."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour or (
            address.teredo[1] if address.teredo else None)
        if embedded is None and any(address in net for net in _EMBEDDING):
            embedded = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if embedded is not None:
            return is_public(embedded)
    return address.is_global and not address.is_multicast


def literal(host: str) -> IPAddress | None:
    """The address when ``host`` is a standard IP literal (brackets allowed), else None."""
    try:
        return ipaddress.ip_address(host.strip("[]").split("%", 1)[0])
    except ValueError:
        return None


def check_literal(host: str, allowed: Policy = is_public) -> None:
    """Raise ``BlockedAddressError`` for a non-public IP literal (names are left to the
    resolver)."""
    address = literal(host)
    if address is not None and not allowed(address):
        raise BlockedAddressError(host)


def client_host(url: str | URL) -> str:
    """The host aiohttp will connect to for ``url``: yarl's IDNA/UTS-46 form (``①②⑦.0.0.1``
    -> ``127.0.0.1``), as ASCII; ``ValueError`` when yarl cannot use the URL's host."""
    return (url if isinstance(url, URL) else URL(url)).raw_host or ""


class BlockedConnectionError(OSError):
    """Raised by the socket factory for a non-public address (aiohttp wraps it in a
    ``ClientConnectorError``; the fetcher turns it back into a refusal)."""

    def __init__(self, address: str) -> None:
        super().__init__(f"connection to {address} refused by the address check")
        self.blocked = BlockedAddressError(address)


def guarded_socket_factory(allowed: Policy = is_public) -> SocketFactoryType:
    """An aiohttp ``socket_factory`` that refuses to create a socket for an address
    ``allowed`` rejects. It sees the address really connected to (after every name, literal
    and redirect), so it is the check no host spelling can get around."""

    def factory(addr_info: AddrInfoType) -> socket.socket:
        family, kind, proto, _, sockaddr = addr_info
        address = literal(str(sockaddr[0]))
        if address is None or not allowed(address):
            raise BlockedConnectionError(str(sockaddr[0]))
        return socket.socket(family=family, type=kind, proto=proto)

    return factory


class PublicResolver(AbstractResolver):
    """The default resolver, refusing hosts with any non-public address."""

    def __init__(self, inner: AbstractResolver | None = None, *,
                 allowed: Policy = is_public) -> None:
        """``inner`` does the resolving (default: aiohttp's); ``allowed`` judges addresses
        (tests narrow it to tell two loopback addresses apart)."""
        self._inner = inner or DefaultResolver()
        self._allowed = allowed

    async def resolve(self, host: str, port: int = 0,
                      family: socket.AddressFamily = socket.AF_INET) -> list[ResolveResult]:
        """Resolve, then refuse the host unless every address is public."""
        found = await self._inner.resolve(host, port, family)
        for result in found:
            address = literal(str(result["host"]))
            if address is None or not self._allowed(address):
                raise BlockedAddressError(host.rstrip("."))
        return found

    async def close(self) -> None:
        """Close the inner resolver."""
        await self._inner.close()
