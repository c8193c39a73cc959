"""Which requests are LLM calls, and of which provider (standard library only).

A request is an LLM call when it goes to a known provider's API host, or when its path ends
in one of the endpoints of the two wire families (so self-hosted OpenAI-compatible servers,
gateways and the emulator count too). The provider is named by the host; on any other host,
by the first path segment when it names a provider (the emulator's ``/openai/v1/...``,
``/groq/...``), else by the API's shape: a gateway or local stand-in that speaks
``/messages`` is priced as Anthropic, one that speaks chat completions as OpenAI, so that
the model is looked up where its price is known.
"""

from __future__ import annotations

import re
import urllib.parse

#: API hosts of the providers: a request to one of them in mock mode fails the test.
PROVIDER_HOSTS: dict[str, str] = {
    "api.openai.com": "openai",
    "api.anthropic.com": "anthropic",
    "api.groq.com": "groq",
    "api.mistral.ai": "mistral",
    "api.deepseek.com": "deepseek",
    "api.together.xyz": "together",
    "api.together.ai": "together",
    "api.fireworks.ai": "fireworks",
    "openrouter.ai": "openrouter",
    "api.x.ai": "x-ai",
    "api.cohere.com": "cohere",
    "api.cohere.ai": "cohere",
    "api.perplexity.ai": "perplexity",
    "api.cerebras.ai": "cerebras",
    "generativelanguage.googleapis.com": "google",
}

_LLM_PATH = re.compile(r"/(chat/completions|completions|messages|responses|embeddings)/?$")
_KNOWN_PROVIDERS = frozenset(PROVIDER_HOSTS.values())


def is_provider_host(host: str) -> bool:
    host = host.lower().rstrip(".")
    return host in PROVIDER_HOSTS or any(host.endswith("." + known) for known in PROVIDER_HOSTS)


def is_llm_request(url: str) -> bool:
    parts = urllib.parse.urlsplit(url)
    return is_provider_host(parts.hostname or "") or bool(_LLM_PATH.search(parts.path))


def provider_of(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    host = (parts.hostname or "").lower()
    if host in PROVIDER_HOSTS:
        return PROVIDER_HOSTS[host]
    for known, provider in PROVIDER_HOSTS.items():
        if host.endswith("." + known):
            return provider
    first = parts.path.strip("/").split("/", 1)[0]
    if first in _KNOWN_PROVIDERS:
        return first
    shape = _LLM_PATH.search(parts.path)
    if shape:
        return "anthropic" if shape.group(1) == "messages" else "openai"
    if first and first not in {"v1", "chat", "messages", "completions"}:
        return first
    return host or "unknown"
