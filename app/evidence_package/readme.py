"""The bilingual ``README.txt`` of an evidence package.

It tells whoever receives the package what each file is and how to check it
with ``python3 verify.py``, in Chinese first and then in English.
"""

from __future__ import annotations

from app.archive import ArchiveEntry

__all__ = ["readme_text"]

_ZH = """\
SealDesk 证据包（电子印章用印证据）
====================================

文件：{title}
归档编号：{entry}
文件 SHA-256：{sha256}
存证状态：{status_zh}

包内文件
--------
document.pdf       已盖章的 PDF 原件（取自加密归档，取出时已核对哈希）
report.json        验章报告（机器可读）
report.pdf         验章报告（可打印；若缺失，清单 manifest.json 中注明原因）
certificates/      签章证书链（PEM），取自每个签名的 CMS 及文档安全存储（DSS）
revocation/        吊销信息（OCSP 响应、CRL，DER 格式），取自 DSS；无则为空
usage-log.json     与本文件有关的用印日志条目，含重新计算每条哈希所需的全部字段
evidence.json      存证凭据：存证记录、默克尔包含证明、链上交易；或“尚未上链”记录
package-info.json  归档条目信息、导出时间与导出人
verify.py          独立核验脚本，只需 Python 3.11 及以上的标准库
manifest.json      除自身外每个文件的 SHA-256（规范 JSON：键排序、无空格）

如何核验
--------
在解压后的文件夹中运行：

    python3 verify.py                  # 核对文件、哈希、日志与默克尔证明
    python3 verify.py --rpc 节点地址     # 另外通过 JSON-RPC 核对链上锚定交易

每项检查输出一行（中英文）。退出码：0 全部通过；1 有检查未通过；
3 尚未上链（其余检查未发现问题）。不加 --rpc 时不核对区块链，输出中会注明。
"""

_EN = """\
SealDesk evidence package (evidence of an electronic seal's use)
================================================================

Document: {title}
Archive entry: {entry}
Document SHA-256: {sha256}
Evidence: {status_en}

What is inside
--------------
document.pdf       the stamped PDF (taken from the encrypted archive, hash checked)
report.json        the verification report, machine-readable
report.pdf         the verification report, printable (if absent, manifest.json
                   says why)
certificates/      signer certificate chains (PEM) from each signature's CMS and
                   from the document security store (DSS)
revocation/        OCSP responses and CRLs (DER) from the DSS; may be empty
usage-log.json     the usage-log entries about this document, with every field
                   needed to recompute each entry's hash
evidence.json      the evidence bundle: record, Merkle inclusion proof and chain
                   transaction; or a "not yet anchored" record
package-info.json  the archive entry, when and by whom the package was made
verify.py          a standalone checker needing only Python 3.11+ and its
                   standard library
manifest.json      SHA-256 of every other file (canonical JSON: sorted keys,
                   no spaces)

How to check it
---------------
In the unpacked folder run:

    python3 verify.py              # files, hashes, usage log, Merkle proof
    python3 verify.py --rpc URL    # also the anchor transaction, by JSON-RPC

Each check prints one line (English / Chinese). Exit code 0: every check
passed; 1: a check failed; 3: not yet anchored on the chain (nothing else
failed). Without --rpc the chain is not checked, and the output says so.
"""


def readme_text(entry: ArchiveEntry, anchored: bool) -> str:
    """The README for the package of ``entry``."""
    values = {
        "title": entry.title,
        "entry": entry.id,
        "sha256": entry.sha256,
        "status_zh": "已上链" if anchored else "尚未上链",
        "status_en": "anchored on the chain" if anchored else "not yet anchored",
    }
    return _ZH.format(**values) + "\n\n" + _EN.format(**values)
