<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>AddGrantDialog</name>
    <message>
        <location filename="../../widgets/admin/grant_dialog.py" line="74"/>
        <source>Grant a seal</source>
        <translation>授权用印</translation>
    </message>
    <message>
        <location filename="../../widgets/admin/grant_dialog.py" line="84"/>
        <source>unlimited</source>
        <translation>不限</translation>
    </message>
    <message>
        <location filename="../../widgets/admin/grant_dialog.py" line="88"/>
        <source>e.g. 通知, 合同 (empty: any)</source>
        <translation>如：通知、合同（留空：不限）</translation>
    </message>
    <message>
        <location filename="../../widgets/admin/grant_dialog.py" line="91"/>
        <source>Each use needs approval</source>
        <translation>每次用印需审批</translation>
    </message>
    <message>
        <location filename="../../widgets/admin/grant_dialog.py" line="96"/>
        <source>Loading…</source>
        <translation>正在读取…</translation>
    </message>
    <message>
        <location filename="../../widgets/admin/grant_dialog.py" line="99"/>
        <source>Grant</source>
        <translation>授权</translation>
    </message>
    <message>
        <location filename="../../widgets/admin/grant_dialog.py" line="108"/>
        <source>Officer</source>
        <translation>经办人</translation>
    </message>
    <message>
        <location filename="../../widgets/admin/grant_dialog.py" line="110"/>
        <source>Seal</source>
        <translation>印章</translation>
    </message>
    <message>
        <location filename="../../widgets/admin/grant_dialog.py" line="111"/>
        <source>Valid</source>
        <translation>有效期</translation>
    </message>
    <message>
        <location filename="../../widgets/admin/grant_dialog.py" line="112"/>
        <source>Quota</source>
        <translation>用印次数上限</translation>
    </message>
    <message>
        <location filename="../../widgets/admin/grant_dialog.py" line="114"/>
        <source>Categories</source>
        <translation>文件类别</translation>
    </message>
    <message>
        <location filename="../../widgets/admin/grant_dialog.py" line="118"/>
        <source>Approvers</source>
        <translation>审批人</translation>
    </message>
    <message>
        <location filename="../../widgets/admin/grant_dialog.py" line="192"/>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
</context>
<context>
    <name>AddPersonDialog</name>
    <message>
        <location filename="../../widgets/admin/person_dialogs.py" line="116"/>
        <source>Add person</source>
        <translation>添加人员</translation>
    </message>
    <message>
        <location filename="../../widgets/admin/person_dialogs.py" line="117"/>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <location filename="../../widgets/admin/person_dialogs.py" line="127"/>
        <source>PEM or DER file, for token log-in</source>
        <translation>PEM 或 DER 文件，用于令牌登录</translation>
    </message>
    <message>
        <location filename="../../widgets/admin/person_dialogs.py" line="131"/>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <location filename="../../widgets/admin/person_dialogs.py" line="137"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../../widgets/admin/person_dialogs.py" line="139"/>
        <source>Department</source>
        <translation>部门</translation>
    </message>
    <message>
        <location filename="../../widgets/admin/person_dialogs.py" line="142"/>
        <source>Roles</source>
        <translation>角色</translation>
    </message>
    <message>
        <location filename="../../widgets/admin/person_dialogs.py" line="146"/>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <location filename="../../widgets/admin/person_dialogs.py" line="149"/>
        <source>Password again</source>
        <translation>确认密码</translation>
    </message>
    <message>
        <location filename="../../widgets/admin/person_dialogs.py" line="153"/>
        <location filename="../../widgets/admin/person_dialogs.py" line="161"/>
        <source>Certificate</source>
        <translation>证书</translation>
    </message>
    <message>
        <location filename="../../widgets/admin/person_dialogs.py" line="163"/>
        <source>Certificates (*.pem *.crt *.cer *.der)</source>
        <translation>证书 (*.pem *.crt *.cer *.der)</translation>
    </message>
</context>
<context>
    <name>ApprovalsView</name>
    <message>
        <location filename="../../widgets/views/approvals.py" line="61"/>
        <source>Requested</source>
        <translation>申请时间</translation>
    </message>
    <message>
        <location filename="../../widgets/views/approvals.py" line="62"/>
        <source>Officer</source>
        <translation>经办人</translation>
    </message>
    <message>
        <location filename="../../widgets/views/approvals.py" line="63"/>
        <source>Seal</source>
        <translation>印章</translation>
    </message>
    <message>
        <location filename="../../widgets/views/approvals.py" line="64"/>
        <source>Document</source>
        <translation>文件</translation>
    </message>
    <message>
        <location filename="../../widgets/views/approvals.py" line="65"/>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <location filename="../../widgets/views/approvals.py" line="66"/>
        <source>SHA-256</source>
        <translation>SHA-256</translation>
    </message>
    <message>
        <location filename="../../widgets/views/approvals.py" line="67"/>
        <source>Reason</source>
        <translation>事由</translation>
    </message>
    <message>
        <location filename="../../widgets/views/approvals.py" line="73"/>
        <source>Comment (required to reject)</source>
        <translation>审批意见（驳回时必填）</translation>
    </message>
    <message>
        <location filename="../../widgets/views/approvals.py" line="76"/>
        <source>Approve</source>
        <translation>批准</translation>
    </message>
    <message>
        <location filename="../../widgets/views/approvals.py" line="79"/>
        <source>Reject</source>
        <translation>驳回</translation>
    </message>
    <message>
        <location filename="../../widgets/views/approvals.py" line="89"/>
        <location filename="../../widgets/views/approvals.py" line="163"/>
        <source>Choose a request.</source>
        <translation>请选择一项申请。</translation>
    </message>
    <message>
        <location filename="../../widgets/views/approvals.py" line="167"/>
        <source>Drawing the document…</source>
        <translation>正在显示文件…</translation>
    </message>
    <message>
        <location filename="../../widgets/views/approvals.py" line="183"/>
        <source>The request was made by SHA-256 only; no document to show.</source>
        <translation>该申请仅提交了 SHA-256，没有可显示的文件。</translation>
    </message>
    <message>
        <location filename="../../widgets/views/approvals.py" line="199"/>
        <source>{0}: page 1 of {1}</source>
        <translation>{0}：第 1 页，共 {1} 页</translation>
    </message>
    <message>
        <location filename="../../widgets/views/approvals.py" line="230"/>
        <source>{0}: {1}.</source>
        <translation>{0}：{1}。</translation>
    </message>
</context>
<context>
    <name>ArchiveView</name>
    <message>
        <location filename="../../widgets/archive/view.py" line="103"/>
        <source>Title or document number</source>
        <translation>标题或文号</translation>
    </message>
    <message>
        <location filename="../../widgets/archive/view.py" line="113"/>
        <source>From this UTC date on</source>
        <translation>自该日期（UTC）起</translation>
    </message>
    <message>
        <location filename="../../widgets/archive/view.py" line="116"/>
        <source>Before this UTC date</source>
        <translation>截至该日期（UTC）之前</translation>
    </message>
    <message>
        <location filename="../../widgets/archive/view.py" line="119"/>
        <source>Seal name or id</source>
        <translation>印章名称或编号</translation>
    </message>
    <message>
        <location filename="../../widgets/archive/view.py" line="122"/>
        <source>Officer name or id</source>
        <translation>经办人姓名或编号</translation>
    </message>
    <message>
        <location filename="../../widgets/archive/view.py" line="126"/>
        <source>SHA-256 before or after stamping</source>
        <translation>用印前或用印后的 SHA-256</translation>
    </message>
    <message>
        <location filename="../../widgets/archive/view.py" line="131"/>
        <source>Search</source>
        <comment>button</comment>
        <translation>查询</translation>
    </message>
    <message>
        <location filename="../../widgets/archive/view.py" line="137"/>
        <source>No.</source>
        <translation>编号</translation>
    </message>
    <message>
        <location filename="../../widgets/archive/view.py" line="138"/>
        <source>Stamped</source>
        <translation>用印时间</translation>
    </message>
    <message>
        <location filename="../../widgets/archive/view.py" line="139"/>
        <source>Number</source>
        <translation>文号</translation>
    </message>
    <message>
        <location filename="../../widgets/archive/view.py" line="140"/>
        <source>Title</source>
        <translation>标题</translation>
    </message>
    <message>
        <location filename="../../widgets/archive/view.py" line="141"/>
        <location filename="../../widgets/archive/view.py" line="164"/>
        <source>Seal</source>
        <translation>印章</translation>
    </message>
    <message>
        <location filename="../../widgets/archive/view.py" line="142"/>
        <location filename="../../widgets/archive/view.py" line="165"/>
        <source>Officer</source>
        <translation>经办人</translation>
    </message>
    <message>
        <location filename="../../widgets/archive/view.py" line="159"/>
        <source>Search</source>
        <comment>field label</comment>
        <translation>检索</translation>
    </message>
    <message>
        <location filename="../../widgets/archive/view.py" line="174"/>
        <source>From – to</source>
        <translation>起止日期</translation>
    </message>
    <message>
        <location filename="../../widgets/archive/view.py" line="180"/>
        <source>Drop a PDF anywhere here to verify it.</source>
        <translation>将 PDF 拖放到此处即可验章。</translation>
    </message>
    <message>
        <location filename="../../widgets/archive/view.py" line="242"/>
        <source>{0} documents</source>
        <translation>共 {0} 份</translation>
    </message>
    <message>
        <location filename="../../widgets/archive/view.py" line="361"/>
        <source>Save a copy</source>
        <translation>另存副本</translation>
    </message>
    <message>
        <location filename="../../widgets/archive/view.py" line="371"/>
        <source>Export evidence package</source>
        <translation>导出证据包</translation>
    </message>
    <message>
        <location filename="../../widgets/archive/view.py" line="373"/>
        <source>Evidence package (*.zip)</source>
        <translation>证据包 (*.zip)</translation>
    </message>
    <message>
        <location filename="../../widgets/archive/view.py" line="397"/>
        <source>Copy saved to {0}</source>
        <translation>副本已保存到 {0}</translation>
    </message>
    <message>
        <location filename="../../widgets/archive/view.py" line="435"/>
        <source>Evidence package written to {0}</source>
        <translation>证据包已写入 {0}</translation>
    </message>
</context>
<context>
    <name>AuditView</name>
    <message>
        <location filename="../../widgets/views/audit.py" line="68"/>
        <source>Search</source>
        <translation>查询</translation>
    </message>
    <message>
        <location filename="../../widgets/views/audit.py" line="72"/>
        <source>Check chain integrity</source>
        <translation>校验日志链完整性</translation>
    </message>
    <message>
        <location filename="../../widgets/views/audit.py" line="76"/>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <location filename="../../widgets/views/audit.py" line="83"/>
        <source>No.</source>
        <translation>序号</translation>
    </message>
    <message>
        <location filename="../../widgets/views/audit.py" line="84"/>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../../widgets/views/audit.py" line="85"/>
        <location filename="../../widgets/views/audit.py" line="99"/>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <location filename="../../widgets/views/audit.py" line="86"/>
        <location filename="../../widgets/views/audit.py" line="97"/>
        <source>Person</source>
        <translation>人员</translation>
    </message>
    <message>
        <location filename="../../widgets/views/audit.py" line="87"/>
        <location filename="../../widgets/views/audit.py" line="98"/>
        <source>Seal</source>
        <translation>印章</translation>
    </message>
    <message>
        <location filename="../../widgets/views/audit.py" line="88"/>
        <source>Document SHA-256</source>
        <translation>文件 SHA-256</translation>
    </message>
    <message>
        <location filename="../../widgets/views/audit.py" line="89"/>
        <source>Details</source>
        <translation>详情</translation>
    </message>
    <message>
        <location filename="../../widgets/views/audit.py" line="104"/>
        <source>From – to</source>
        <translation>起止日期</translation>
    </message>
    <message>
        <location filename="../../widgets/views/audit.py" line="105"/>
        <source>At most</source>
        <translation>最多条数</translation>
    </message>
    <message>
        <location filename="../../widgets/views/audit.py" line="153"/>
        <source>{0} entries</source>
        <translation>共 {0} 条</translation>
    </message>
    <message>
        <location filename="../../widgets/views/audit.py" line="160"/>
        <source>Checking…</source>
        <translation>正在校验…</translation>
    </message>
    <message>
        <location filename="../../widgets/views/audit.py" line="174"/>
        <source>Chain intact: {0} entries, head {1}</source>
        <translation>日志链完整：共 {0} 条，链头 {1}</translation>
    </message>
    <message>
        <location filename="../../widgets/views/audit.py" line="179"/>
        <source>Chain BROKEN at entry {0}: {1}</source>
        <translation>日志链在第 {0} 条处断开：{1}</translation>
    </message>
    <message>
        <location filename="../../widgets/views/audit.py" line="190"/>
        <source>Export the usage log</source>
        <translation>导出用印日志</translation>
    </message>
    <message>
        <location filename="../../widgets/views/audit.py" line="218"/>
        <source>Exported {0} entries to {1}</source>
        <translation>已导出 {0} 条到 {1}</translation>
    </message>
</context>
<context>
    <name>BatchConfirmDialog</name>
    <message>
        <location filename="../../widgets/stamping/results.py" line="79"/>
        <source>Stamp several documents</source>
        <translation>批量盖章</translation>
    </message>
    <message>
        <location filename="../../widgets/stamping/results.py" line="83"/>
        <source>Stamp {0} documents with the seal {1}?</source>
        <translation>确认用印章“{1}”对 {0} 个文件盖章？</translation>
    </message>
    <message>
        <location filename="../../widgets/stamping/results.py" line="89"/>
        <source>Document</source>
        <translation>文件</translation>
    </message>
    <message>
        <location filename="../../widgets/stamping/results.py" line="90"/>
        <source>Stamped copy</source>
        <translation>盖章后文件</translation>
    </message>
    <message>
        <location filename="../../widgets/stamping/results.py" line="98"/>
        <source>Stamp</source>
        <translation>盖章</translation>
    </message>
</context>
<context>
    <name>CreateSealDialog</name>
    <message>
        <location filename="../../widgets/admin/seal_dialog.py" line="94"/>
        <source>Create seal</source>
        <translation>新建印章</translation>
    </message>
    <message>
        <location filename="../../widgets/admin/seal_dialog.py" line="107"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location filename="../../widgets/admin/seal_dialog.py" line="113"/>
        <source>Keep this HSM PIN in the workspace</source>
        <translation>在工作区中保存此 HSM PIN</translation>
    </message>
    <message>
        <location filename="../../widgets/admin/seal_dialog.py" line="118"/>
        <source>Read keys</source>
        <translation>读取密钥</translation>
    </message>
    <message>
        <location filename="../../widgets/admin/seal_dialog.py" line="127"/>
        <source>(nobody)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <location filename="../../widgets/admin/seal_dialog.py" line="130"/>
        <source>The certificate&apos;s validity</source>
        <translation>与证书有效期一致</translation>
    </message>
    <message>
        <location filename="../../widgets/admin/seal_dialog.py" line="140"/>
        <source>Create</source>
        <translation>创建</translation>
    </message>
    <message>
        <location filename="../../widgets/admin/seal_dialog.py" line="168"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../../widgets/admin/seal_dialog.py" line="170"/>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <location filename="../../widgets/admin/seal_dialog.py" line="173"/>
        <source>Key store</source>
        <translation>密钥位置</translation>
    </message>
    <message>
        <location filename="../../widgets/admin/seal_dialog.py" line="175"/>
        <source>Token</source>
        <translation>令牌</translation>
    </message>
    <message>
        <location filename="../../widgets/admin/seal_dialog.py" line="176"/>
        <source>PIN</source>
        <translation>PIN</translation>
    </message>
    <message>
        <location filename="../../widgets/admin/seal_dialog.py" line="178"/>
        <source>Key</source>
        <translation>密钥</translation>
    </message>
    <message>
        <location filename="../../widgets/admin/seal_dialog.py" line="180"/>
        <source>Certificate</source>
        <translation>证书</translation>
    </message>
    <message>
        <location filename="../../widgets/admin/seal_dialog.py" line="184"/>
        <source>Holder (USB key)</source>
        <translation>持有人（USB Key）</translation>
    </message>
    <message>
        <location filename="../../widgets/admin/seal_dialog.py" line="188"/>
        <source>Valid</source>
        <translation>有效期</translation>
    </message>
    <message>
        <location filename="../../widgets/admin/seal_dialog.py" line="235"/>
        <source>Empty: use the kept HSM PIN</source>
        <translation>留空：使用已保存的 HSM PIN</translation>
    </message>
    <message>
        <location filename="../../widgets/admin/seal_dialog.py" line="239"/>
        <source>PIN of the USB key</source>
        <translation>USB Key 的 PIN</translation>
    </message>
    <message>
        <location filename="../../widgets/admin/seal_dialog.py" line="248"/>
        <source>Looking for tokens…</source>
        <translation>正在查找令牌…</translation>
    </message>
    <message>
        <location filename="../../widgets/admin/seal_dialog.py" line="261"/>
        <source>No token is present.</source>
        <translation>未检测到令牌。</translation>
    </message>
    <message>
        <location filename="../../widgets/admin/seal_dialog.py" line="302"/>
        <source>Reading keys…</source>
        <translation>正在读取密钥…</translation>
    </message>
    <message>
        <location filename="../../widgets/admin/seal_dialog.py" line="314"/>
        <source>The token holds no key with a certificate.</source>
        <translation>该令牌中没有带证书的密钥。</translation>
    </message>
    <message>
        <location filename="../../widgets/admin/seal_dialog.py" line="340"/>
        <source>{0}
valid {1:%Y-%m-%d} – {2:%Y-%m-%d}</source>
        <translation>{0}
有效期 {1:%Y-%m-%d} 至 {2:%Y-%m-%d}</translation>
    </message>
    <message>
        <location filename="../../widgets/admin/seal_dialog.py" line="412"/>
        <source>Creating…</source>
        <translation>正在创建…</translation>
    </message>
</context>
<context>
    <name>DetailPane</name>
    <message>
        <location filename="../../widgets/archive/detail.py" line="49"/>
        <source>Select a document, or drop a PDF here to verify it.</source>
        <translation>请选择文件，或将 PDF 拖放到此处进行验章。</translation>
    </message>
    <message>
        <location filename="../../widgets/archive/detail.py" line="64"/>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../../widgets/archive/detail.py" line="65"/>
        <source>Person</source>
        <translation>人员</translation>
    </message>
    <message>
        <location filename="../../widgets/archive/detail.py" line="66"/>
        <source>Written to</source>
        <translation>写入文件</translation>
    </message>
    <message>
        <location filename="../../widgets/archive/detail.py" line="71"/>
        <source>Save a copy…</source>
        <translation>另存副本…</translation>
    </message>
    <message>
        <location filename="../../widgets/archive/detail.py" line="74"/>
        <source>Export evidence package…</source>
        <translation>导出证据包…</translation>
    </message>
    <message>
        <location filename="../../widgets/archive/detail.py" line="84"/>
        <source>Verification</source>
        <translation>验章结果</translation>
    </message>
    <message>
        <location filename="../../widgets/archive/detail.py" line="88"/>
        <source>Chain evidence</source>
        <translation>链上存证</translation>
    </message>
    <message>
        <location filename="../../widgets/archive/detail.py" line="90"/>
        <source>Retrieval log</source>
        <translation>调阅记录</translation>
    </message>
    <message>
        <location filename="../../widgets/archive/detail.py" line="127"/>
        <source>Number: {0}   Category: {1}</source>
        <translation>文号：{0}&#x3000;类别：{1}</translation>
    </message>
    <message>
        <location filename="../../widgets/archive/detail.py" line="130"/>
        <source>Seal: {0}   Officer: {1}</source>
        <translation>印章：{0}&#x3000;经办人：{1}</translation>
    </message>
    <message>
        <location filename="../../widgets/archive/detail.py" line="136"/>
        <source>Stamped: {0}   SHA-256: {1}</source>
        <translation>用印时间：{0}&#x3000;SHA-256：{1}</translation>
    </message>
    <message>
        <location filename="../../widgets/archive/detail.py" line="149"/>
        <source>Dropped file: {0}</source>
        <translation>拖入的文件：{0}</translation>
    </message>
    <message>
        <location filename="../../widgets/archive/detail.py" line="152"/>
        <source>Not an archived document: no chain evidence or retrievals.</source>
        <translation>该文件不在档案中：无存证和调阅记录。</translation>
    </message>
    <message>
        <location filename="../../widgets/archive/detail.py" line="161"/>
        <source>Verifying…</source>
        <translation>正在验章…</translation>
    </message>
    <message>
        <location filename="../../widgets/archive/detail.py" line="166"/>
        <source>Verification did not finish.</source>
        <translation>验章未能完成。</translation>
    </message>
    <message>
        <location filename="../../widgets/archive/detail.py" line="176"/>
        <source>Verdict: </source>
        <translation>结论：</translation>
    </message>
    <message>
        <location filename="../../widgets/archive/detail.py" line="198"/>
        <source>copy for verification (deleted)</source>
        <translation>验章用临时副本（已删除）</translation>
    </message>
</context>
<context>
    <name>Dialogs</name>
    <message>
        <location filename="../../widgets/dialog_buttons.py" line="28"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>GrantsView</name>
    <message>
        <location filename="../../widgets/views/grants.py" line="58"/>
        <location filename="../../widgets/views/grants.py" line="87"/>
        <source>Person</source>
        <translation>人员</translation>
    </message>
    <message>
        <location filename="../../widgets/views/grants.py" line="59"/>
        <location filename="../../widgets/views/grants.py" line="84"/>
        <source>Seal</source>
        <translation>印章</translation>
    </message>
    <message>
        <location filename="../../widgets/views/grants.py" line="60"/>
        <source>Valid</source>
        <translation>有效期</translation>
    </message>
    <message>
        <location filename="../../widgets/views/grants.py" line="61"/>
        <source>Used / quota</source>
        <translation>已用 / 限额</translation>
    </message>
    <message>
        <location filename="../../widgets/views/grants.py" line="62"/>
        <source>Categories</source>
        <translation>文件类别</translation>
    </message>
    <message>
        <location filename="../../widgets/views/grants.py" line="63"/>
        <source>Approval</source>
        <translation>需审批</translation>
    </message>
    <message>
        <location filename="../../widgets/views/grants.py" line="64"/>
        <source>Approvers</source>
        <translation>审批人</translation>
    </message>
    <message>
        <location filename="../../widgets/views/grants.py" line="69"/>
        <source>Add grant…</source>
        <translation>新增授权…</translation>
    </message>
    <message>
        <location filename="../../widgets/views/grants.py" line="74"/>
        <source>Reason (written to the usage log)</source>
        <translation>原因（记入用印日志）</translation>
    </message>
    <message>
        <location filename="../../widgets/views/grants.py" line="79"/>
        <source>Revoke grant…</source>
        <translation>撤销授权…</translation>
    </message>
    <message>
        <location filename="../../widgets/views/grants.py" line="107"/>
        <source>All seals</source>
        <translation>全部印章</translation>
    </message>
    <message>
        <location filename="../../widgets/views/grants.py" line="112"/>
        <source>All people</source>
        <translation>全部人员</translation>
    </message>
    <message>
        <location filename="../../widgets/views/grants.py" line="134"/>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <location filename="../../widgets/views/grants.py" line="144"/>
        <source>any</source>
        <translation>不限</translation>
    </message>
    <message>
        <location filename="../../widgets/views/grants.py" line="155"/>
        <source>unlimited</source>
        <translation>不限</translation>
    </message>
    <message>
        <location filename="../../widgets/views/grants.py" line="181"/>
        <source>Revoke the grant of seal &apos;{0}&apos; to {1}?</source>
        <translation>确定撤销{1}对印章“{0}”的授权？</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <location filename="../../widgets/login_dialog.py" line="75"/>
        <location filename="../../widgets/login_dialog.py" line="105"/>
        <source>Log in</source>
        <translation>登录</translation>
    </message>
    <message>
        <location filename="../../widgets/login_dialog.py" line="80"/>
        <location filename="../../widgets/login_dialog.py" line="128"/>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <location filename="../../widgets/login_dialog.py" line="83"/>
        <source>Token (USB key)</source>
        <translation>令牌（USB Key）</translation>
    </message>
    <message>
        <location filename="../../widgets/login_dialog.py" line="94"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location filename="../../widgets/login_dialog.py" line="100"/>
        <source>Token PIN</source>
        <translation>令牌 PIN</translation>
    </message>
    <message>
        <location filename="../../widgets/login_dialog.py" line="102"/>
        <source>Loading people…</source>
        <translation>正在读取人员…</translation>
    </message>
    <message>
        <location filename="../../widgets/login_dialog.py" line="125"/>
        <source>Person</source>
        <translation>人员</translation>
    </message>
    <message>
        <location filename="../../widgets/login_dialog.py" line="126"/>
        <source>Log in with</source>
        <translation>登录方式</translation>
    </message>
    <message>
        <location filename="../../widgets/login_dialog.py" line="130"/>
        <source>Token</source>
        <translation>令牌</translation>
    </message>
    <message>
        <location filename="../../widgets/login_dialog.py" line="132"/>
        <source>PIN</source>
        <translation>PIN</translation>
    </message>
    <message>
        <location filename="../../widgets/login_dialog.py" line="152"/>
        <source>Nobody can log in yet.</source>
        <translation>尚无可登录的人员。</translation>
    </message>
    <message>
        <location filename="../../widgets/login_dialog.py" line="189"/>
        <source>Looking for tokens…</source>
        <translation>正在查找令牌…</translation>
    </message>
    <message>
        <location filename="../../widgets/login_dialog.py" line="202"/>
        <source> – PIN locked</source>
        <translation>（PIN 已锁定）</translation>
    </message>
    <message>
        <location filename="../../widgets/login_dialog.py" line="211"/>
        <source>No token is inserted. Insert your USB key and press Refresh.</source>
        <translation>未检测到令牌。请插入 USB Key 后点击“刷新”。</translation>
    </message>
    <message>
        <location filename="../../widgets/login_dialog.py" line="270"/>
        <source>Enter the token PIN.</source>
        <translation>请输入令牌 PIN。</translation>
    </message>
    <message>
        <location filename="../../widgets/login_dialog.py" line="278"/>
        <source>Checking…</source>
        <translation>正在验证…</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../widgets/main_window.py" line="111"/>
        <location filename="../../widgets/main_window.py" line="188"/>
        <source>Workspace</source>
        <translation>工作区</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="114"/>
        <source>Opening the workspace…</source>
        <translation>正在打开工作区…</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="118"/>
        <source>Switch person</source>
        <translation>切换人员</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="146"/>
        <source>Passphrase for {0}</source>
        <translation>{0} 的口令</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="164"/>
        <location filename="../../widgets/main_window.py" line="375"/>
        <source>Cancelled.</source>
        <translation>已取消。</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="184"/>
        <source>Workspace unlocked.</source>
        <translation>工作区已解锁。</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="192"/>
        <source>Key custody</source>
        <translation>密钥保管</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="196"/>
        <source>Schema version</source>
        <translation>结构版本</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="225"/>
        <source>Nobody is logged in.</source>
        <translation>尚未登录。</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="286"/>
        <location filename="../../widgets/main_window.py" line="297"/>
        <location filename="../../widgets/main_window.py" line="302"/>
        <source>Tokens: </source>
        <translation>令牌：</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="294"/>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="308"/>
        <source>Evidence pending: {0}, last anchored {1}</source>
        <translation>待上链存证：{0}，最近上链 {1}</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="312"/>
        <source>Evidence pending: {0}, nothing anchored yet</source>
        <translation>待上链存证：{0}，尚无上链记录</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="320"/>
        <source>Chain: not set up</source>
        <translation>区块链：未配置</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="324"/>
        <source>Chain: wrong network (id {0})</source>
        <translation>区块链：网络不符（ID {0}）</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="329"/>
        <source>Chain: online (id {0})</source>
        <translation>区块链：在线（ID {0}）</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="335"/>
        <source>Chain: offline</source>
        <translation>区块链：离线</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="347"/>
        <source>Logged in: {0} ({1}).</source>
        <translation>已登录：{0}（{1}）。</translation>
    </message>
    <message>
        <location filename="../../widgets/main_window.py" line="370"/>
        <source>Logged out.</source>
        <translation>已退出登录。</translation>
    </message>
</context>
<context>
    <name>OfficerView</name>
    <message>
        <location filename="../../widgets/views/officer.py" line="42"/>
        <source>Image</source>
        <translation>印模</translation>
    </message>
    <message>
        <location filename="../../widgets/views/officer.py" line="43"/>
        <source>Seal</source>
        <translation>印章</translation>
    </message>
    <message>
        <location filename="../../widgets/views/officer.py" line="44"/>
        <source>Seal status</source>
        <translation>印章状态</translation>
    </message>
    <message>
        <location filename="../../widgets/views/officer.py" line="45"/>
        <source>Grant valid</source>
        <translation>授权有效期</translation>
    </message>
    <message>
        <location filename="../../widgets/views/officer.py" line="46"/>
        <source>Uses left</source>
        <translation>剩余次数</translation>
    </message>
    <message>
        <location filename="../../widgets/views/officer.py" line="47"/>
        <source>Categories</source>
        <translation>文件类别</translation>
    </message>
    <message>
        <location filename="../../widgets/views/officer.py" line="48"/>
        <source>Needs approval</source>
        <translation>需审批</translation>
    </message>
    <message>
        <location filename="../../widgets/views/officer.py" line="49"/>
        <source>Latest approval</source>
        <translation>最近审批</translation>
    </message>
    <message>
        <location filename="../../widgets/views/officer.py" line="55"/>
        <source>Seals granted to {0}</source>
        <translation>{0} 可用的印章</translation>
    </message>
    <message>
        <location filename="../../widgets/views/officer.py" line="88"/>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <location filename="../../widgets/views/officer.py" line="91"/>
        <source>any</source>
        <translation>不限</translation>
    </message>
    <message>
        <location filename="../../widgets/views/officer.py" line="108"/>
        <source>unlimited</source>
        <translation>不限</translation>
    </message>
</context>
<context>
    <name>PeopleView</name>
    <message>
        <location filename="../../widgets/views/people.py" line="33"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../../widgets/views/people.py" line="34"/>
        <source>Department</source>
        <translation>部门</translation>
    </message>
    <message>
        <location filename="../../widgets/views/people.py" line="35"/>
        <source>Roles</source>
        <translation>角色</translation>
    </message>
    <message>
        <location filename="../../widgets/views/people.py" line="36"/>
        <source>Active</source>
        <translation>启用</translation>
    </message>
    <message>
        <location filename="../../widgets/views/people.py" line="37"/>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <location filename="../../widgets/views/people.py" line="38"/>
        <source>Certificate</source>
        <translation>证书</translation>
    </message>
    <message>
        <location filename="../../widgets/views/people.py" line="43"/>
        <source>Add person…</source>
        <translation>添加人员…</translation>
    </message>
    <message>
        <location filename="../../widgets/views/people.py" line="47"/>
        <source>Change roles…</source>
        <translation>修改角色…</translation>
    </message>
    <message>
        <location filename="../../widgets/views/people.py" line="75"/>
        <source>none</source>
        <translation>无</translation>
    </message>
</context>
<context>
    <name>PinDialog</name>
    <message>
        <location filename="../../widgets/stamping/pin_dialog.py" line="40"/>
        <source>Token PIN</source>
        <translation>令牌 PIN</translation>
    </message>
    <message>
        <location filename="../../widgets/stamping/pin_dialog.py" line="48"/>
        <source>OK</source>
        <translation>确定</translation>
    </message>
    <message>
        <location filename="../../widgets/stamping/pin_dialog.py" line="53"/>
        <source>PIN for token “{0}”</source>
        <translation>令牌“{0}”的 PIN</translation>
    </message>
    <message>
        <location filename="../../widgets/stamping/pin_dialog.py" line="58"/>
        <source>PIN</source>
        <translation>PIN</translation>
    </message>
    <message>
        <location filename="../../widgets/stamping/pin_dialog.py" line="64"/>
        <source>Warning: one wrong PIN now locks token “{0}”.</source>
        <translation>警告：再输错一次 PIN，令牌“{0}”将被锁定。</translation>
    </message>
    <message>
        <location filename="../../widgets/stamping/pin_dialog.py" line="68"/>
        <source>Warning: few PIN attempts are left on token “{0}”.</source>
        <translation>警告：令牌“{0}”剩余的 PIN 尝试次数不多。</translation>
    </message>
</context>
<context>
    <name>ResultBanner</name>
    <message>
        <location filename="../../widgets/stamping/results.py" line="117"/>
        <source>Document</source>
        <translation>文件</translation>
    </message>
    <message>
        <location filename="../../widgets/stamping/results.py" line="118"/>
        <source>Outcome</source>
        <translation>结果</translation>
    </message>
    <message>
        <location filename="../../widgets/stamping/results.py" line="119"/>
        <source>Stamped copy</source>
        <translation>盖章后文件</translation>
    </message>
    <message>
        <location filename="../../widgets/stamping/results.py" line="120"/>
        <source>Verification</source>
        <translation>验章</translation>
    </message>
    <message>
        <location filename="../../widgets/stamping/results.py" line="132"/>
        <source>Stamping…</source>
        <translation>正在盖章…</translation>
    </message>
    <message>
        <location filename="../../widgets/stamping/results.py" line="145"/>
        <source>{0} of {1} document(s) stamped.</source>
        <translation>共 {1} 个文件，已盖章 {0} 个。</translation>
    </message>
    <message>
        <location filename="../../widgets/stamping/results.py" line="157"/>
        <source>Cancelled; nothing was stamped.</source>
        <translation>已取消，未盖章。</translation>
    </message>
    <message>
        <location filename="../../widgets/stamping/results.py" line="174"/>
        <source>Checking…</source>
        <translation>正在验章…</translation>
    </message>
</context>
<context>
    <name>RolesDialog</name>
    <message>
        <location filename="../../widgets/admin/person_dialogs.py" line="227"/>
        <source>Roles of {0}</source>
        <translation>{0} 的角色</translation>
    </message>
    <message>
        <location filename="../../widgets/admin/person_dialogs.py" line="231"/>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <location filename="../../widgets/admin/person_dialogs.py" line="235"/>
        <source>Roles</source>
        <translation>角色</translation>
    </message>
</context>
<context>
    <name>SealDesigner</name>
    <message>
        <location filename="../../widgets/admin/designer.py" line="55"/>
        <source>Round with star</source>
        <translation>圆形（五角星）</translation>
    </message>
    <message>
        <location filename="../../widgets/admin/designer.py" line="56"/>
        <source>Oval</source>
        <translation>椭圆形</translation>
    </message>
    <message>
        <location filename="../../widgets/admin/designer.py" line="57"/>
        <source>Square name seal</source>
        <translation>方形名章</translation>
    </message>
    <message>
        <location filename="../../widgets/admin/designer.py" line="58"/>
        <source>Imported PNG/SVG</source>
        <translation>导入 PNG/SVG</translation>
    </message>
    <message>
        <location filename="../../widgets/admin/designer.py" line="80"/>
        <source>from the image</source>
        <translation>按图像比例</translation>
    </message>
    <message>
        <location filename="../../widgets/admin/designer.py" line="86"/>
        <source>Add 印 to a 3-character name</source>
        <translation>三字名加“印”</translation>
    </message>
    <message>
        <location filename="../../widgets/admin/designer.py" line="89"/>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <location filename="../../widgets/admin/designer.py" line="122"/>
        <source>Template</source>
        <translation>模板</translation>
    </message>
    <message>
        <location filename="../../widgets/admin/designer.py" line="125"/>
        <source>Width / diameter</source>
        <translation>宽度 / 直径</translation>
    </message>
    <message>
        <location filename="../../widgets/admin/designer.py" line="129"/>
        <source>Height</source>
        <translation>高度</translation>
    </message>
    <message>
        <location filename="../../widgets/admin/designer.py" line="132"/>
        <location filename="../../widgets/admin/designer.py" line="185"/>
        <source>Ring text</source>
        <translation>环形文字</translation>
    </message>
    <message>
        <location filename="../../widgets/admin/designer.py" line="135"/>
        <source>Bottom line</source>
        <translation>横排文字</translation>
    </message>
    <message>
        <location filename="../../widgets/admin/designer.py" line="137"/>
        <source>Code</source>
        <translation>编码</translation>
    </message>
    <message>
        <location filename="../../widgets/admin/designer.py" line="140"/>
        <source>Image file</source>
        <translation>图像文件</translation>
    </message>
    <message>
        <location filename="../../widgets/admin/designer.py" line="150"/>
        <source>Preview at true size</source>
        <translation>预览（实际尺寸）</translation>
    </message>
    <message>
        <location filename="../../widgets/admin/designer.py" line="183"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../../widgets/admin/designer.py" line="192"/>
        <source>Seal image</source>
        <translation>印模图像</translation>
    </message>
    <message>
        <location filename="../../widgets/admin/designer.py" line="194"/>
        <source>Images (*.png *.svg)</source>
        <translation>图像 (*.png *.svg)</translation>
    </message>
    <message>
        <location filename="../../widgets/admin/designer.py" line="241"/>
        <source>Drawing…</source>
        <translation>正在绘制…</translation>
    </message>
    <message>
        <location filename="../../widgets/admin/designer.py" line="260"/>
        <source>{0:g} × {1:g} mm</source>
        <translation>{0:g} × {1:g} 毫米</translation>
    </message>
</context>
<context>
    <name>SealsView</name>
    <message>
        <location filename="../../widgets/views/seals.py" line="102"/>
        <source>Image</source>
        <translation>印模</translation>
    </message>
    <message>
        <location filename="../../widgets/views/seals.py" line="103"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../../widgets/views/seals.py" line="104"/>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <location filename="../../widgets/views/seals.py" line="105"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../widgets/views/seals.py" line="106"/>
        <source>Valid</source>
        <translation>有效期</translation>
    </message>
    <message>
        <location filename="../../widgets/views/seals.py" line="107"/>
        <source>Key store</source>
        <translation>密钥位置</translation>
    </message>
    <message>
        <location filename="../../widgets/views/seals.py" line="108"/>
        <source>Token</source>
        <translation>令牌</translation>
    </message>
    <message>
        <location filename="../../widgets/views/seals.py" line="109"/>
        <source>Certificate</source>
        <translation>证书</translation>
    </message>
    <message>
        <location filename="../../widgets/views/seals.py" line="110"/>
        <source>Certificate valid</source>
        <translation>证书有效期</translation>
    </message>
    <message>
        <location filename="../../widgets/views/seals.py" line="111"/>
        <source>Certificate SHA-256</source>
        <translation>证书 SHA-256</translation>
    </message>
    <message>
        <location filename="../../widgets/views/seals.py" line="118"/>
        <source>Create seal…</source>
        <translation>新建印章…</translation>
    </message>
    <message>
        <location filename="../../widgets/views/seals.py" line="123"/>
        <source>Reason (written to the usage log)</source>
        <translation>原因（记入用印日志）</translation>
    </message>
    <message>
        <location filename="../../widgets/views/seals.py" line="126"/>
        <source>Suspend</source>
        <translation>暂停</translation>
    </message>
    <message>
        <location filename="../../widgets/views/seals.py" line="127"/>
        <source>Resume</source>
        <translation>恢复</translation>
    </message>
    <message>
        <location filename="../../widgets/views/seals.py" line="128"/>
        <source>Revoke…</source>
        <translation>吊销…</translation>
    </message>
    <message>
        <location filename="../../widgets/views/seals.py" line="129"/>
        <source>Destroy…</source>
        <translation>销毁…</translation>
    </message>
    <message>
        <location filename="../../widgets/views/seals.py" line="185"/>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <location filename="../../widgets/views/seals.py" line="219"/>
        <source>Revoke seal &apos;{0}&apos;? A revoked seal can never be used again.</source>
        <translation>确定吊销印章“{0}”？吊销后将永久不能使用。</translation>
    </message>
    <message>
        <location filename="../../widgets/views/seals.py" line="224"/>
        <source>Record that the key of seal &apos;{0}&apos; is destroyed? This cannot be undone.</source>
        <translation>确定登记印章“{0}”的密钥已销毁？此操作不可撤销。</translation>
    </message>
</context>
<context>
    <name>SettingsView</name>
    <message>
        <location filename="../../widgets/views/settings.py" line="55"/>
        <source>not set</source>
        <translation>未设置</translation>
    </message>
    <message>
        <location filename="../../widgets/views/settings.py" line="68"/>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <location filename="../../widgets/views/settings.py" line="72"/>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <location filename="../../widgets/views/settings.py" line="77"/>
        <source>Hover over a setting to see what it means. An empty field removes the setting.</source>
        <translation>鼠标停在设置项上可查看说明。留空即删除该设置。</translation>
    </message>
    <message>
        <location filename="../../widgets/views/settings.py" line="83"/>
        <source>Only administrators change settings.</source>
        <translation>只有管理员可以修改设置。</translation>
    </message>
    <message>
        <location filename="../../widgets/views/settings.py" line="106"/>
        <source>Workspace</source>
        <translation>工作区</translation>
    </message>
    <message>
        <location filename="../../widgets/views/settings.py" line="110"/>
        <source>Key custody</source>
        <translation>密钥保管</translation>
    </message>
    <message>
        <location filename="../../widgets/views/settings.py" line="114"/>
        <source>Schema version</source>
        <translation>结构版本</translation>
    </message>
    <message>
        <location filename="../../widgets/views/settings.py" line="118"/>
        <source>Database size</source>
        <translation>数据库大小</translation>
    </message>
    <message>
        <location filename="../../widgets/views/settings.py" line="141"/>
        <source>Nothing changed.</source>
        <translation>没有修改。</translation>
    </message>
    <message>
        <location filename="../../widgets/views/settings.py" line="156"/>
        <source>Saved: {0}.</source>
        <translation>已保存：{0}。</translation>
    </message>
</context>
<context>
    <name>StampingView</name>
    <message>
        <location filename="../../widgets/stamping/view.py" line="231"/>
        <source>Open PDFs…</source>
        <translation>打开 PDF…</translation>
    </message>
    <message>
        <location filename="../../widgets/stamping/view.py" line="235"/>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <location filename="../../widgets/stamping/view.py" line="248"/>
        <source>Drop PDF files here.</source>
        <translation>可将 PDF 文件拖放到此处。</translation>
    </message>
    <message>
        <location filename="../../widgets/stamping/view.py" line="254"/>
        <source>Documents</source>
        <translation>文件</translation>
    </message>
    <message>
        <location filename="../../widgets/stamping/view.py" line="256"/>
        <source>Pages</source>
        <translation>页面</translation>
    </message>
    <message>
        <location filename="../../widgets/stamping/view.py" line="272"/>
        <source>True size</source>
        <translation>实际大小</translation>
    </message>
    <message>
        <location filename="../../widgets/stamping/view.py" line="280"/>
        <source>No seal placed yet.</source>
        <translation>尚未放置印章。</translation>
    </message>
    <message>
        <location filename="../../widgets/stamping/view.py" line="299"/>
        <source>Seals you may use</source>
        <translation>可用印章</translation>
    </message>
    <message>
        <location filename="../../widgets/stamping/view.py" line="309"/>
        <source>Placement</source>
        <translation>盖章位置</translation>
    </message>
    <message>
        <location filename="../../widgets/stamping/view.py" line="313"/>
        <source>e.g. 盖章处</source>
        <translation>例如：盖章处</translation>
    </message>
    <message>
        <location filename="../../widgets/stamping/view.py" line="317"/>
        <source>Find</source>
        <translation>查找</translation>
    </message>
    <message>
        <location filename="../../widgets/stamping/view.py" line="326"/>
        <source>Riding seal (骑缝章)</source>
        <translation>骑缝章</translation>
    </message>
    <message>
        <location filename="../../widgets/stamping/view.py" line="331"/>
        <source>all pages</source>
        <translation>全部页</translation>
    </message>
    <message>
        <location filename="../../widgets/stamping/view.py" line="332"/>
        <source>odd pages</source>
        <translation>奇数页</translation>
    </message>
    <message>
        <location filename="../../widgets/stamping/view.py" line="333"/>
        <source>even pages</source>
        <translation>偶数页</translation>
    </message>
    <message>
        <location filename="../../widgets/stamping/view.py" line="339"/>
        <source>Keyword</source>
        <translation>关键字</translation>
    </message>
    <message>
        <location filename="../../widgets/stamping/view.py" line="340"/>
        <source>Hits</source>
        <translation>命中</translation>
    </message>
    <message>
        <location filename="../../widgets/stamping/view.py" line="345"/>
        <source>Approval</source>
        <translation>用印审批</translation>
    </message>
    <message>
        <location filename="../../widgets/stamping/view.py" line="348"/>
        <source>Not needed.</source>
        <translation>无需审批。</translation>
    </message>
    <message>
        <location filename="../../widgets/stamping/view.py" line="352"/>
        <source>Request approval</source>
        <translation>申请审批</translation>
    </message>
    <message>
        <location filename="../../widgets/stamping/view.py" line="356"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location filename="../../widgets/stamping/view.py" line="369"/>
        <location filename="../../widgets/stamping/view.py" line="396"/>
        <source>Stamp</source>
        <translation>盖章</translation>
    </message>
    <message>
        <location filename="../../widgets/stamping/view.py" line="375"/>
        <source>Confirm with my token</source>
        <translation>用本人令牌确认</translation>
    </message>
    <message>
        <location filename="../../widgets/stamping/view.py" line="379"/>
        <source>Next to the documents</source>
        <translation>保存在原文件旁</translation>
    </message>
    <message>
        <location filename="../../widgets/stamping/view.py" line="382"/>
        <source>In folder:</source>
        <translation>保存到文件夹：</translation>
    </message>
    <message>
        <location filename="../../widgets/stamping/view.py" line="389"/>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location filename="../../widgets/stamping/view.py" line="402"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../widgets/stamping/view.py" line="411"/>
        <source>Category</source>
        <translation>文件类别</translation>
    </message>
    <message>
        <location filename="../../widgets/stamping/view.py" line="413"/>
        <source>Reason</source>
        <translation>用印事由</translation>
    </message>
    <message>
        <location filename="../../widgets/stamping/view.py" line="496"/>
        <source>Open PDF documents</source>
        <translation>打开 PDF 文件</translation>
    </message>
    <message>
        <location filename="../../widgets/stamping/view.py" line="498"/>
        <source>PDF documents (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <location filename="../../widgets/stamping/view.py" line="601"/>
        <source>Page {0} of {1}</source>
        <translation>第 {0} 页，共 {1} 页</translation>
    </message>
    <message>
        <location filename="../../widgets/stamping/view.py" line="681"/>
        <source>{0}: page {1}</source>
        <translation>{0}：第 {1} 页</translation>
    </message>
    <message>
        <location filename="../../widgets/stamping/view.py" line="690"/>
        <source>“{0}” was not found in {1}.</source>
        <translation>{1} 中未找到“{0}”。</translation>
    </message>
    <message>
        <location filename="../../widgets/stamping/view.py" line="763"/>
        <source>Seal centre: page {0}, x {1:.1f} mm, y {2:.1f} mm from the top-left.</source>
        <translation>印章中心：第 {0} 页，距左 {1:.1f} 毫米，距上 {2:.1f} 毫米。</translation>
    </message>
    <message>
        <location filename="../../widgets/stamping/view.py" line="768"/>
        <source>On “{0}”, hit {1} (page {2}, x {3:.1f} mm, y {4:.1f} mm).</source>
        <translation>盖在“{0}”第 {1} 处（第 {2} 页，距左 {3:.1f} 毫米，距上 {4:.1f} 毫米）。</translation>
    </message>
    <message>
        <location filename="../../widgets/stamping/view.py" line="774"/>
        <source>centred</source>
        <translation>垂直居中</translation>
    </message>
    <message>
        <location filename="../../widgets/stamping/view.py" line="776"/>
        <source>{0:.1f} mm from the top</source>
        <translation>距上 {0:.1f} 毫米</translation>
    </message>
    <message>
        <location filename="../../widgets/stamping/view.py" line="780"/>
        <source>Riding seal on the right edges, {0}.</source>
        <translation>骑缝章盖在右侧页边，{0}。</translation>
    </message>
    <message>
        <location filename="../../widgets/stamping/view.py" line="783"/>
        <source>Drag the seal onto the page, or find a keyword.</source>
        <translation>请将印章拖到页面上，或查找关键字。</translation>
    </message>
    <message>
        <location filename="../../widgets/stamping/view.py" line="809"/>
        <source>Checking…</source>
        <translation>正在查询…</translation>
    </message>
    <message>
        <location filename="../../widgets/stamping/view.py" line="832"/>
        <source>Needed for this seal. This document (SHA-256 {0}…): {1}.</source>
        <translation>此印章需审批。本文件（SHA-256 {0}…）：{1}。</translation>
    </message>
    <message>
        <location filename="../../widgets/stamping/view.py" line="883"/>
        <source>Folder for stamped copies</source>
        <translation>盖章后文件的保存位置</translation>
    </message>
</context>
<context>
    <name>_ServiceDialog</name>
    <message>
        <location filename="../../widgets/admin/person_dialogs.py" line="80"/>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
</context>
<context>
    <name>widgets.admin.confirm</name>
    <message>
        <location filename="../../widgets/admin/confirm.py" line="30"/>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <location filename="../../widgets/admin/confirm.py" line="33"/>
        <source>No</source>
        <translation>否</translation>
    </message>
</context>
<context>
    <name>widgets.archive.report</name>
    <message>
        <location filename="../../widgets/archive/report.py" line="34"/>
        <source>valid</source>
        <translation>有效</translation>
    </message>
    <message>
        <location filename="../../widgets/archive/report.py" line="35"/>
        <source>INVALID</source>
        <translation>无效</translation>
    </message>
    <message>
        <location filename="../../widgets/archive/report.py" line="36"/>
        <source>indeterminate (not confirmed valid)</source>
        <translation>无法确定（未能确认有效）</translation>
    </message>
    <message>
        <location filename="../../widgets/archive/report.py" line="39"/>
        <source>cannot verify (not confirmed valid)</source>
        <translation>无法验证（未能确认有效）</translation>
    </message>
    <message>
        <location filename="../../widgets/archive/report.py" line="61"/>
        <source>Signature</source>
        <translation>签名</translation>
    </message>
    <message>
        <location filename="../../widgets/archive/report.py" line="63"/>
        <source>Verdict</source>
        <translation>结论</translation>
    </message>
    <message>
        <location filename="../../widgets/archive/report.py" line="71"/>
        <source>Signer</source>
        <translation>签章人</translation>
    </message>
    <message>
        <location filename="../../widgets/archive/report.py" line="75"/>
        <source>Organisation</source>
        <translation>单位</translation>
    </message>
    <message>
        <location filename="../../widgets/archive/report.py" line="79"/>
        <source>Certificate serial</source>
        <translation>证书序列号</translation>
    </message>
    <message>
        <location filename="../../widgets/archive/report.py" line="85"/>
        <source>Issuer</source>
        <translation>颁发者</translation>
    </message>
    <message>
        <location filename="../../widgets/archive/report.py" line="97"/>
        <source>Signing time</source>
        <translation>签章时间</translation>
    </message>
    <message>
        <location filename="../../widgets/archive/report.py" line="101"/>
        <source>Integrity</source>
        <translation>完整性</translation>
    </message>
    <message>
        <location filename="../../widgets/archive/report.py" line="102"/>
        <source>intact</source>
        <translation>完好</translation>
    </message>
    <message>
        <location filename="../../widgets/archive/report.py" line="104"/>
        <source>broken</source>
        <translation>已破坏</translation>
    </message>
    <message>
        <location filename="../../widgets/archive/report.py" line="106"/>
        <source>Coverage</source>
        <translation>覆盖范围</translation>
    </message>
    <message>
        <location filename="../../widgets/archive/report.py" line="108"/>
        <source>Changes after signing</source>
        <translation>签章后修改</translation>
    </message>
    <message>
        <location filename="../../widgets/archive/report.py" line="114"/>
        <source>Trust</source>
        <translation>信任</translation>
    </message>
    <message>
        <location filename="../../widgets/archive/report.py" line="118"/>
        <source>Revocation</source>
        <translation>吊销状态</translation>
    </message>
    <message>
        <location filename="../../widgets/archive/report.py" line="132"/>
        <source>Document</source>
        <translation>文件</translation>
    </message>
    <message>
        <location filename="../../widgets/archive/report.py" line="137"/>
        <source>Checked at</source>
        <translation>验证时间</translation>
    </message>
    <message>
        <location filename="../../widgets/archive/report.py" line="149"/>
        <source>No seal was found.</source>
        <translation>未发现印章。</translation>
    </message>
    <message>
        <location filename="../../widgets/archive/report.py" line="161"/>
        <source>No chain evidence is recorded for this document.</source>
        <translation>该文件没有存证记录。</translation>
    </message>
    <message>
        <location filename="../../widgets/archive/report.py" line="171"/>
        <location filename="../../widgets/archive/report.py" line="205"/>
        <source>Evidence</source>
        <translation>存证</translation>
    </message>
    <message>
        <location filename="../../widgets/archive/report.py" line="175"/>
        <location filename="../../widgets/archive/report.py" line="209"/>
        <source>Anchored</source>
        <translation>已上链</translation>
    </message>
    <message>
        <location filename="../../widgets/archive/report.py" line="176"/>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <location filename="../../widgets/archive/report.py" line="180"/>
        <source>Chain</source>
        <translation>链 ID</translation>
    </message>
    <message>
        <location filename="../../widgets/archive/report.py" line="184"/>
        <source>Block</source>
        <translation>区块</translation>
    </message>
    <message>
        <location filename="../../widgets/archive/report.py" line="188"/>
        <source>Anchored at</source>
        <translation>上链时间</translation>
    </message>
    <message>
        <location filename="../../widgets/archive/report.py" line="192"/>
        <source>Confirmations</source>
        <translation>确认数</translation>
    </message>
    <message>
        <location filename="../../widgets/archive/report.py" line="198"/>
        <source>Transaction</source>
        <translation>交易</translation>
    </message>
    <message>
        <location filename="../../widgets/archive/report.py" line="210"/>
        <source>not yet ({0})</source>
        <translation>尚未上链（{0}）</translation>
    </message>
</context>
<context>
    <name>widgets.errors</name>
    <message>
        <location filename="../../widgets/errors.py" line="25"/>
        <source>Unexpected error ({0}); see the log file.</source>
        <translation>发生意外错误（{0}），详见日志文件。</translation>
    </message>
</context>
<context>
    <name>widgets.stamping.results</name>
    <message>
        <location filename="../../widgets/stamping/results.py" line="38"/>
        <source>Stamped</source>
        <translation>已盖章</translation>
    </message>
    <message>
        <location filename="../../widgets/stamping/results.py" line="39"/>
        <source>Refused</source>
        <translation>已拒绝</translation>
    </message>
    <message>
        <location filename="../../widgets/stamping/results.py" line="40"/>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <location filename="../../widgets/stamping/results.py" line="41"/>
        <source>Not attempted</source>
        <translation>未处理</translation>
    </message>
    <message>
        <location filename="../../widgets/stamping/results.py" line="46"/>
        <source>Valid</source>
        <translation>有效</translation>
    </message>
    <message>
        <location filename="../../widgets/stamping/results.py" line="47"/>
        <source>INVALID</source>
        <translation>无效</translation>
    </message>
    <message>
        <location filename="../../widgets/stamping/results.py" line="48"/>
        <source>Cannot be confirmed</source>
        <translation>无法确认</translation>
    </message>
</context>
<context>
    <name>widgets.stamping.seal_list</name>
    <message>
        <location filename="../../widgets/stamping/seal_list.py" line="59"/>
        <source>Seal</source>
        <translation>印章</translation>
    </message>
    <message>
        <location filename="../../widgets/stamping/seal_list.py" line="60"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../widgets/stamping/seal_list.py" line="61"/>
        <source>Valid</source>
        <translation>有效期</translation>
    </message>
    <message>
        <location filename="../../widgets/stamping/seal_list.py" line="62"/>
        <source>Uses left</source>
        <translation>剩余次数</translation>
    </message>
    <message>
        <location filename="../../widgets/stamping/seal_list.py" line="63"/>
        <source>Approval</source>
        <translation>审批</translation>
    </message>
    <message>
        <location filename="../../widgets/stamping/seal_list.py" line="100"/>
        <source>unlimited</source>
        <translation>不限</translation>
    </message>
    <message>
        <location filename="../../widgets/stamping/seal_list.py" line="108"/>
        <source>not needed</source>
        <translation>无需审批</translation>
    </message>
    <message>
        <location filename="../../widgets/stamping/seal_list.py" line="110"/>
        <source>needed</source>
        <translation>需审批</translation>
    </message>
</context>
<context>
    <name>widgets.views</name>
    <message>
        <location filename="../../widgets/views/__init__.py" line="48"/>
        <source>Stamping</source>
        <translation>盖章</translation>
    </message>
    <message>
        <location filename="../../widgets/views/__init__.py" line="52"/>
        <source>Approvals</source>
        <translation>用印审批</translation>
    </message>
    <message>
        <location filename="../../widgets/views/__init__.py" line="60"/>
        <source>Archive</source>
        <translation>档案</translation>
    </message>
    <message>
        <location filename="../../widgets/views/__init__.py" line="64"/>
        <source>Audit</source>
        <translation>审计</translation>
    </message>
    <message>
        <location filename="../../widgets/views/__init__.py" line="67"/>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <location filename="../../widgets/views/__init__.py" line="82"/>
        <source>Seals</source>
        <translation>印章</translation>
    </message>
    <message>
        <location filename="../../widgets/views/__init__.py" line="83"/>
        <source>People</source>
        <translation>人员</translation>
    </message>
    <message>
        <location filename="../../widgets/views/__init__.py" line="84"/>
        <source>Grants</source>
        <translation>授权</translation>
    </message>
    <message>
        <location filename="../../widgets/views/__init__.py" line="87"/>
        <source>Administration</source>
        <translation>印章管理</translation>
    </message>
</context>
<context>
    <name>widgets.views.labels</name>
    <message>
        <location filename="../../widgets/views/labels.py" line="30"/>
        <source>Administrator</source>
        <translation>印章管理员</translation>
    </message>
    <message>
        <location filename="../../widgets/views/labels.py" line="31"/>
        <source>Approver</source>
        <translation>审批人</translation>
    </message>
    <message>
        <location filename="../../widgets/views/labels.py" line="32"/>
        <source>Officer</source>
        <translation>用印经办人</translation>
    </message>
    <message>
        <location filename="../../widgets/views/labels.py" line="33"/>
        <source>Archivist</source>
        <translation>档案管理员</translation>
    </message>
    <message>
        <location filename="../../widgets/views/labels.py" line="34"/>
        <source>Auditor</source>
        <translation>审计员</translation>
    </message>
    <message>
        <location filename="../../widgets/views/labels.py" line="37"/>
        <source>Official</source>
        <translation>公章</translation>
    </message>
    <message>
        <location filename="../../widgets/views/labels.py" line="38"/>
        <source>Contract</source>
        <translation>合同专用章</translation>
    </message>
    <message>
        <location filename="../../widgets/views/labels.py" line="39"/>
        <source>Finance</source>
        <translation>财务专用章</translation>
    </message>
    <message>
        <location filename="../../widgets/views/labels.py" line="40"/>
        <source>Legal representative</source>
        <translation>法定代表人名章</translation>
    </message>
    <message>
        <location filename="../../widgets/views/labels.py" line="43"/>
        <source>Department</source>
        <translation>部门章</translation>
    </message>
    <message>
        <location filename="../../widgets/views/labels.py" line="44"/>
        <source>Invoice</source>
        <translation>发票专用章</translation>
    </message>
    <message>
        <location filename="../../widgets/views/labels.py" line="47"/>
        <source>Active</source>
        <translation>启用</translation>
    </message>
    <message>
        <location filename="../../widgets/views/labels.py" line="48"/>
        <source>Suspended</source>
        <translation>暂停</translation>
    </message>
    <message>
        <location filename="../../widgets/views/labels.py" line="49"/>
        <source>Revoked</source>
        <translation>吊销</translation>
    </message>
    <message>
        <location filename="../../widgets/views/labels.py" line="50"/>
        <source>Destroyed</source>
        <translation>销毁</translation>
    </message>
    <message>
        <location filename="../../widgets/views/labels.py" line="53"/>
        <source>Pending</source>
        <translation>待审批</translation>
    </message>
    <message>
        <location filename="../../widgets/views/labels.py" line="54"/>
        <source>Approved</source>
        <translation>已批准</translation>
    </message>
    <message>
        <location filename="../../widgets/views/labels.py" line="55"/>
        <source>Rejected</source>
        <translation>已驳回</translation>
    </message>
    <message>
        <location filename="../../widgets/views/labels.py" line="56"/>
        <source>Used</source>
        <translation>已使用</translation>
    </message>
    <message>
        <location filename="../../widgets/views/labels.py" line="59"/>
        <source>USB key</source>
        <translation>USB Key</translation>
    </message>
    <message>
        <location filename="../../widgets/views/labels.py" line="60"/>
        <source>HSM</source>
        <translation>密码机</translation>
    </message>
    <message>
        <location filename="../../widgets/views/labels.py" line="75"/>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <location filename="../../widgets/views/labels.py" line="89"/>
        <source>None requested</source>
        <translation>未申请</translation>
    </message>
    <message>
        <location filename="../../widgets/views/labels.py" line="99"/>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <location filename="../../widgets/views/labels.py" line="100"/>
        <source>No</source>
        <translation>否</translation>
    </message>
</context>
<context>
    <name>widgets.views.officer</name>
    <message>
        <location filename="../../widgets/views/officer.py" line="131"/>
        <source>Stamp documents</source>
        <translation>文件盖章</translation>
    </message>
    <message>
        <location filename="../../widgets/views/officer.py" line="135"/>
        <source>My seals</source>
        <translation>我的印章</translation>
    </message>
</context>
</TS>
