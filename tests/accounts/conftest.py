import pytest
import time_machine

from tests.accounts.mfa import START


@pytest.fixture
def clock():
    """Time stands at START until the test moves it (`clock.shift(seconds)`): expiries and TOTP
    periods are tested by moving the clock, never by sleeping."""
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller
