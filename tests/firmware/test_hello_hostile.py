"""A HELLO naming a counter kind this release does not know (a newer firmware, or a board that is not ours)
is a protocol error with one clear line, not a ValueError traceback out of the parser."""

from __future__ import annotations

import pytest

from tinystudio.device.runner_protocol import HelloInfo, Msg, ProtocolError


def test_an_unknown_counter_kind_is_a_clear_protocol_error(host_board):
    payload = bytearray(host_board.client.request(Msg.HELLO).payload)  # the real board's own answer
    assert HelloInfo.parse(bytes(payload)).board == "host"
    payload[3] = 9  # the counter kind byte
    with pytest.raises(ProtocolError, match="counter kind this TinyStudio does not know"):
        HelloInfo.parse(bytes(payload))
