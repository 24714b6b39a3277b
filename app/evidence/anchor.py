"""Anchoring batch roots on an EVM chain: the payload, the node, the account.

An anchor is a legacy (EIP-155) transaction of value 0 from the workspace's
chain account to a fixed address, whose data field is::

    "SDEV" | version 1 | SHA-256(workspace id) | Merkle root | log seq | log head

(4 + 1 + 32 + 32 + 8 + 32 = 109 bytes, the sequence number big-endian). No
contract is deployed and nothing is compiled, so any Ethereum JSON-RPC node
takes it: FISCO BCOS 3.x's web3 RPC, Besu, Quorum, anvil. Legacy transactions
are used because every one of those accepts them.

The node is reached with web3.py and transactions are signed locally with
eth-account, then sent with ``eth_sendRawTransaction``. Both libraries take
seconds to import, so they are imported when a client or an account is first
made, not when this module is.

The account's private key is sealed like an HSM PIN (``storage.pin_custody``):
AES-256-GCM under the workspace's wrapping key, which is in the OS keyring
(keyring custody) or derived from the database key (passphrase custody). The
key is never written in the clear and never logged.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from app.errors import SealDeskError
from app.evidence.verify import ANCHOR_MAGIC, ANCHOR_VERSION
from storage.database import Database
from storage.errors import StorageError
from storage.outbox import StoredAccount, store_account, stored_account
from storage.pin_custody import (
    WrappedPin,
    WrappingKey,
    derived_wrapping_key,
    keyring_wrapping_key,
    unwrap_pin,
    wrap_pin,
)
from storage.usage_log import now
from storage.workspace import Custody, WorkspaceInfo

if TYPE_CHECKING:
    from eth_account.signers.local import LocalAccount
    from web3 import Web3

__all__ = [
    "ANCHOR_ADDRESS",
    "AnchorClient",
    "ChainAccountMissing",
    "ChainError",
    "ChainMismatch",
    "ChainReceipt",
    "ChainRejected",
    "ChainSigner",
    "ChainTransaction",
    "ChainUnreachable",
    "NonceConflict",
    "SignedAnchor",
    "anchor_gas",
    "encode_anchor",
    "import_account",
    "new_account",
    "open_account",
    "stored_address",
]

log = logging.getLogger(__name__)

# Nobody holds a key for this address; it only collects anchors.
ANCHOR_ADDRESS = "0x5ea1de5c5ea1de5c5ea1de5c5ea1de5c5ea1de5c"
_ACCOUNT_LABEL = "evm-account:"


class ChainError(SealDeskError):
    """Base of the errors met while anchoring on the chain."""


class ChainUnreachable(ChainError):
    """The chain node did not answer; the worker retries later."""


class ChainRejected(ChainError):
    """The node answered with an error."""


class ChainMismatch(ChainError):
    """The node serves another chain than the workspace is set up for."""


class NonceConflict(ChainError):
    """The account's transaction count does not match what this database sent."""


class ChainAccountMissing(ChainError):
    """No chain account is stored, or its sealed key cannot be opened."""


def encode_anchor(
    workspace: bytes, root: bytes, log_seq: int, log_head: bytes
) -> bytes:
    """The 109-byte data field of one anchor transaction."""
    if len(workspace) != 32 or len(root) != 32 or len(log_head) != 32:
        raise ValueError("workspace hash, root and log head are 32 bytes each")
    return (
        ANCHOR_MAGIC
        + bytes([ANCHOR_VERSION])
        + workspace
        + root
        + log_seq.to_bytes(8, "big")
        + log_head
    )


def anchor_gas(data: bytes) -> int:
    """Gas for a value transfer carrying ``data``, with room to spare.

    Covers both the classic calldata price (16 per non-zero byte, 4 per zero
    byte) and the higher floor of EIP-7623 (10 per token, a non-zero byte
    counting 4 tokens), plus a quarter on top for chains that price it higher.
    """
    nonzero = sum(1 for b in data if b)
    zero = len(data) - nonzero
    calldata = max(16 * nonzero + 4 * zero, 10 * (4 * nonzero + zero))
    return (21_000 + calldata) * 5 // 4


@dataclass(frozen=True)
class ChainTransaction:
    """A transaction as the node knows it; no block while still pending."""

    tx_hash: str
    block_number: int | None
    block_hash: str | None


@dataclass(frozen=True)
class ChainReceipt:
    block_number: int
    block_hash: str
    succeeded: bool


@dataclass(frozen=True)
class SignedAnchor:
    raw: bytes = field(repr=False)
    tx_hash: str
    nonce: int


class AnchorClient:
    """One chain node, asked through web3.py; errors become ours."""

    def __init__(self, url: str, timeout: float = 10.0) -> None:
        import requests
        from web3 import HTTPProvider, Web3

        self.url = url
        # A session of our own, so that close() really closes its sockets.
        self._session = requests.Session()
        # No silent retries inside web3: the sync worker has its own backoff.
        provider = HTTPProvider(
            url,
            request_kwargs={"timeout": timeout},
            session=self._session,
            exception_retry_configuration=None,
        )
        self._w3: Web3 = Web3(provider)

    def _ask(self, what: str, call: Any, *args: Any) -> Any:
        from web3.exceptions import TransactionNotFound, Web3Exception

        try:
            return call(*args)
        except TransactionNotFound:
            return None
        except OSError as exc:
            log.debug("Chain node %s unreachable: %s", self.url, type(exc).__name__)
            raise ChainUnreachable(
                f"The chain node {self.url} cannot be reached ({type(exc).__name__}).",
                f"无法连接区块链节点 {self.url}（{type(exc).__name__}）。",
            ) from exc
        except (Web3Exception, ValueError) as exc:
            raise ChainRejected(
                f"The chain node refused {what}: {exc}",
                f"区块链节点拒绝了{what}请求：{exc}",
            ) from exc

    def chain_id(self) -> int:
        return int(self._ask("eth_chainId", lambda: self._w3.eth.chain_id))

    def block_number(self) -> int:
        return int(self._ask("eth_blockNumber", lambda: self._w3.eth.block_number))

    def nonce(self, address: str) -> int:
        """The account's next nonce, counting transactions still pending."""
        checksum = self._w3.to_checksum_address(address)
        return int(
            self._ask(
                "eth_getTransactionCount",
                self._w3.eth.get_transaction_count,
                checksum,
                "pending",
            )
        )

    def gas_price(self) -> int:
        return int(self._ask("eth_gasPrice", lambda: self._w3.eth.gas_price))

    def send_raw(self, raw: bytes) -> str:
        sent = self._ask(
            "eth_sendRawTransaction", self._w3.eth.send_raw_transaction, raw
        )
        return "0x" + bytes(sent).hex()

    def transaction(self, tx_hash: str) -> ChainTransaction | None:
        tx = self._ask(
            "eth_getTransactionByHash", self._w3.eth.get_transaction, tx_hash
        )
        if tx is None:
            return None
        block_hash = tx.get("blockHash")
        return ChainTransaction(
            tx_hash,
            tx.get("blockNumber"),
            None if block_hash is None else "0x" + bytes(block_hash).hex(),
        )

    def receipt(self, tx_hash: str) -> ChainReceipt | None:
        receipt = self._ask(
            "eth_getTransactionReceipt", self._w3.eth.get_transaction_receipt, tx_hash
        )
        if receipt is None or receipt.get("blockHash") is None:
            return None
        return ChainReceipt(
            int(receipt["blockNumber"]),
            "0x" + bytes(receipt["blockHash"]).hex(),
            int(receipt.get("status", 0)) == 1,
        )

    def block_hash(self, number: int) -> str | None:
        from web3.exceptions import BlockNotFound

        try:
            block = self._ask(
                "eth_getBlockByNumber", self._w3.eth.get_block, number, False
            )
        except ChainRejected as exc:
            if isinstance(exc.__cause__, BlockNotFound):
                return None
            raise
        return None if block is None else "0x" + bytes(block["hash"]).hex()

    def close(self) -> None:
        self._session.close()


class ChainSigner:
    """The workspace's chain account, able to sign anchor transactions."""

    def __init__(self, account: LocalAccount) -> None:
        self._account = account

    def __repr__(self) -> str:
        return f"ChainSigner({self.address})"

    @property
    def address(self) -> str:
        return str(self._account.address).lower()

    def sign_anchor(
        self, *, nonce: int, chain_id: int, gas_price: int, to: str, data: bytes
    ) -> SignedAnchor:
        from eth_utils.address import to_checksum_address

        tx: dict[str, Any] = {
            "nonce": nonce,
            "gasPrice": gas_price,
            "gas": anchor_gas(data),
            "to": to_checksum_address(to),
            "value": 0,
            "data": data,
            "chainId": chain_id,
        }
        signed = self._account.sign_transaction(tx)
        return SignedAnchor(
            bytes(signed.raw_transaction), "0x" + bytes(signed.hash).hex(), nonce
        )


def new_account(db: Database, info: WorkspaceInfo, rpc_url: str | None) -> str:
    """Make a fresh chain account, seal its key, return its address."""
    from eth_account import Account

    account = Account.create()
    _, start_block = _chain_start(str(account.address), rpc_url)
    # A key made just now has sent nothing, whatever the node says.
    return _seal(db, info, account, 0, start_block)


def import_account(
    db: Database, info: WorkspaceInfo, private_key: str, rpc_url: str | None
) -> str:
    """Seal an existing private key (hex) as the workspace's chain account.

    When the node at ``rpc_url`` answers, the account's transaction count and
    the chain height are kept: the first anchor must use that nonce, so a copy
    of the database older than any anchor still notices anchors made since.
    """
    from eth_account import Account

    try:
        account = Account.from_key(private_key.strip())
    except (ValueError, TypeError):
        # Not chained: the library's text or a traceback could show the key.
        raise ChainAccountMissing(
            "That is not a valid secp256k1 private key (64 hex digits expected).",
            "这不是有效的 secp256k1 私钥（应为 64 位十六进制数）。",
        ) from None
    start_nonce, start_block = _chain_start(str(account.address), rpc_url)
    return _seal(db, info, account, start_nonce, start_block)


def _chain_start(address: str, rpc_url: str | None) -> tuple[int | None, int | None]:
    if not rpc_url:
        return None, None
    client = AnchorClient(rpc_url)
    try:
        return client.nonce(address), client.block_number()
    except ChainError as exc:
        log.warning("Chain account stored without its start nonce: %s", exc.en)
        return None, None
    finally:
        client.close()


def _seal(
    db: Database,
    info: WorkspaceInfo,
    account: LocalAccount,
    start_nonce: int | None,
    start_block: int | None,
) -> str:
    address = str(account.address).lower()
    key = _wrapping_key(db, info, create=True)
    wrapped = wrap_pin(
        key, info.workspace_id, _ACCOUNT_LABEL + address, account.key.hex()
    )
    with db.transaction() as conn:
        store_account(
            conn,
            StoredAccount(
                address,
                key.kind,
                wrapped.nonce,
                wrapped.ciphertext,
                start_nonce,
                start_block,
            ),
            now(),
        )
    log.info("Stored chain account %s for evidence anchoring", address)
    return address


def stored_address(db: Database) -> str | None:
    """The chain account's address, read without opening its key."""
    with db.transaction() as conn:
        stored = stored_account(conn)
    return None if stored is None else stored.address


def open_account(db: Database, info: WorkspaceInfo) -> ChainSigner:
    """Unseal the workspace's chain account for signing."""
    from eth_account import Account

    with db.transaction() as conn:
        stored = stored_account(conn)
    if stored is None:
        raise ChainAccountMissing(
            "No chain account is stored in this workspace; run "
            "'sealdesk evidence account import' or 'sealdesk evidence account new'.",
            "本工作区没有存证链账户，请运行 sealdesk evidence account import "
            "或 sealdesk evidence account new。",
        )
    key = _wrapping_key(db, info, create=False)
    try:
        private_key = unwrap_pin(
            key,
            info.workspace_id,
            _ACCOUNT_LABEL + stored.address,
            WrappedPin(stored.nonce, stored.ciphertext),
        )
    except StorageError as exc:
        raise ChainAccountMissing(
            f"The key of chain account {stored.address} cannot be opened with this "
            "workspace's key; import the account's key again.",
            f"无法用本工作区的密钥解开存证链账户 {stored.address} 的私钥，请重新导入。",
        ) from exc
    account = Account.from_key(private_key)
    if str(account.address).lower() != stored.address:
        raise ChainAccountMissing(
            f"The stored key does not belong to account {stored.address}.",
            f"存储的私钥不属于账户 {stored.address}。",
        )
    return ChainSigner(account)


def _wrapping_key(db: Database, info: WorkspaceInfo, *, create: bool) -> WrappingKey:
    if info.custody is Custody.KEYRING:
        return keyring_wrapping_key(info.workspace_id, create=create)
    return derived_wrapping_key(db, info.workspace_id)
