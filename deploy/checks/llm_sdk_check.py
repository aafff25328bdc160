#!/usr/bin/env python3
"""The official `openai` and `anthropic` Python SDKs, unmodified, as clients of the bridge
(through the gateway) in front of deploy/checks/llm_upstream.py.

    llm_sdk_check.py --openai-base URL --anthropic-base URL --key KEY [--session ID]

Runs every scenario below, streaming and not, with tool calls and follow-up tool results;
prints one JSON object per scenario (`{"scenario": ..., ...}`) and exits non-zero at the
first answer that is not what the upstream sends.
"""
import argparse
import json
import sys

import anthropic
import openai

TOOLS_OPENAI = [{"type": "function", "function": {"name": "get_weather", "description": "weather of a city",
                                                  "parameters": {"type": "object",
                                                                 "properties": {"city": {"type": "string"}}}}}]
TOOLS_ANTHROPIC = [{"name": "get_weather", "description": "weather of a city",
                    "input_schema": {"type": "object", "properties": {"city": {"type": "string"}}}}]


def expect(condition, message):
    if not condition:
        print("FAILED: " + message, flush=True)
        sys.exit(1)


def report(scenario, **fields):
    print(json.dumps(dict(scenario=scenario, **fields)), flush=True)


def openai_scenarios(client):
    answer = client.chat.completions.create(model="gpt-test", messages=[{"role": "user", "content": "hello, sdk"}])
    expect(answer.choices[0].message.content == "Hello from the upstream.", "openai chat text: %r" % answer)
    expect(answer.usage.prompt_tokens == 21, "openai chat usage: %r" % answer.usage)
    report("openai-chat", id=answer.id)

    pieces, usage_seen = [], False
    for chunk in client.chat.completions.create(model="gpt-test", stream=True,
                                                messages=[{"role": "user", "content": "stream, sdk"}]):
        usage_seen = usage_seen or chunk.usage is not None
        if chunk.choices and chunk.choices[0].delta.content:
            pieces.append(chunk.choices[0].delta.content)
    expect("".join(pieces) == "Hello from the upstream.", "openai stream text: %r" % pieces)
    expect(not usage_seen, "openai stream: usage reached a client that did not ask for it")
    report("openai-chat-stream")

    calls = {}
    for chunk in client.chat.completions.create(model="gpt-tool", stream=True, tools=TOOLS_OPENAI,
                                                messages=[{"role": "user", "content": "weather in Paris?"}]):
        for call in (chunk.choices[0].delta.tool_calls or []) if chunk.choices else []:
            entry = calls.setdefault(call.index, {"id": None, "name": None, "arguments": ""})
            entry["id"] = call.id or entry["id"]
            if call.function:
                entry["name"] = call.function.name or entry["name"]
                entry["arguments"] += call.function.arguments or ""
    call = calls.get(0)
    expect(call and call["name"] == "get_weather" and json.loads(call["arguments"]) == {"city": "Paris"},
           "openai streamed tool call: %r" % calls)
    follow = client.chat.completions.create(model="gpt-tool", tools=TOOLS_OPENAI, messages=[
        {"role": "user", "content": "weather in Paris?"},
        {"role": "assistant", "tool_calls": [{"id": call["id"], "type": "function",
                                              "function": {"name": "get_weather", "arguments": call["arguments"]}}]},
        {"role": "tool", "tool_call_id": call["id"], "content": "sunny"}])
    expect(follow.choices[0].message.content == "It is sunny.", "openai tool follow-up: %r" % follow)
    report("openai-tool", call_id=call["id"])

    fim = client.completions.create(model="coder-test", prompt="def calc", suffix="\n", max_tokens=8)
    expect(fim.choices[0].text == "_answer(x)", "openai completions: %r" % fim)
    report("openai-completions", id=fim.id)

    models = [model.id for model in client.models.list()]
    expect("gpt-test" in models, "openai models: %r" % models)
    report("openai-models")


def anthropic_scenarios(client, name):
    answer = client.messages.create(model="claude-test", max_tokens=64,
                                    messages=[{"role": "user", "content": "hello, claude sdk"}])
    expect(answer.content[0].text == "Hello from the upstream.", "anthropic text: %r" % answer)
    expect(answer.usage.input_tokens == 17, "anthropic usage: %r" % answer.usage)
    report(name + "-messages", id=answer.id)

    with client.messages.stream(model="claude-test", max_tokens=64,
                                messages=[{"role": "user", "content": "stream, claude sdk"}]) as stream:
        text = "".join(stream.text_stream)
        final = stream.get_final_message()
    expect(text == "Hello from the upstream.", "anthropic stream text: %r" % text)
    expect(final.usage.output_tokens == 8, "anthropic stream usage: %r" % final.usage)
    report(name + "-stream", id=final.id)

    with client.messages.stream(model="claude-tool", max_tokens=64, tools=TOOLS_ANTHROPIC,
                                messages=[{"role": "user", "content": "weather in Paris?"}]) as stream:
        message = stream.get_final_message()
    uses = [block for block in message.content if block.type == "tool_use"]
    expect(len(uses) == 1 and uses[0].name == "get_weather" and uses[0].input == {"city": "Paris"},
           "anthropic streamed tool use: %r" % message.content)
    with client.messages.stream(model="claude-tool", max_tokens=64, tools=TOOLS_ANTHROPIC, messages=[
            {"role": "user", "content": "weather in Paris?"},
            {"role": "assistant", "content": [{"type": "tool_use", "id": uses[0].id, "name": "get_weather",
                                               "input": uses[0].input}]},
            {"role": "user", "content": [{"type": "tool_result", "tool_use_id": uses[0].id, "content": "sunny"}]}]) as stream:
        follow = stream.get_final_message()
    expect(follow.content[0].text == "It is sunny.", "anthropic tool follow-up: %r" % follow.content)
    report(name + "-tool", call_id=uses[0].id)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--openai-base", required=True)
    parser.add_argument("--anthropic-base", required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--session", default="sdk-session")
    args = parser.parse_args()
    headers = {"X-AIBridge-Session-Id": args.session}
    openai_scenarios(openai.OpenAI(base_url=args.openai_base, api_key=args.key, default_headers=headers, max_retries=0))
    # Claude Code and older SDKs: x-api-key; newer ones: Authorization: Bearer.
    anthropic_scenarios(anthropic.Anthropic(base_url=args.anthropic_base, api_key=args.key, default_headers=headers,
                                            max_retries=0), "anthropic-x-api-key")
    anthropic_scenarios(anthropic.Anthropic(base_url=args.anthropic_base, auth_token=args.key, default_headers=headers,
                                            max_retries=0), "anthropic-bearer")
    print("ALL OK", flush=True)


if __name__ == "__main__":
    main()
