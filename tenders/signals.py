"""Signals other domains subscribe to, so tenders never imports them.

`contract_entered` is sent inside the transaction that enters into a
contract (sender: the Contract; keyword arguments `actor` and `now`), so a
subscriber's rows and audit events commit or roll back with the contract.
"""
from __future__ import annotations

from blinker import Namespace

signals = Namespace()
contract_entered = signals.signal("contract-entered")
