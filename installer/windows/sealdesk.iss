; Inno Setup script of the SealDesk installer for Windows (x64).
;
; It packs the PyInstaller bundle dist\sealdesk\ (installer\sealdesk.spec,
; built on Windows) into dist\sealdesk-<version>-setup.exe. The version is
; pyproject.toml's, passed on the command line (see installer\README.md):
;
;   iscc /DAppVersion=0.1.0 installer\windows\sealdesk.iss
;
; Not shipped: fonts (Chinese Windows has SimSun, which SealDesk finds in the
; Windows font folder) and the token vendor's PKCS#11 middleware, which the
; office installs from the vendor. Uninstalling removes the program folder
; only; workspaces stay in the users' data folders.

#ifndef AppVersion
  #error Pass the version from pyproject.toml: iscc /DAppVersion=X.Y.Z sealdesk.iss
#endif

#define AppName "SealDesk"
#define RepoDir AddBackslash(SourcePath) + "..\.."
#define BundleDir RepoDir + "\dist\sealdesk"

[Setup]
AppId={{A725734F-60C5-40DA-9257-E16A0C5DD3E4}
AppName={#AppName}
AppVerName={#AppName} {#AppVersion}
AppVersion={#AppVersion}
VersionInfoVersion={#AppVersion}
AppPublisher=SealDesk
DefaultDirName={autopf}\SealDesk
DefaultGroupName=SealDesk
DisableProgramGroupPage=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
PrivilegesRequired=admin
ChangesEnvironment=yes
OutputDir={#RepoDir}\dist
OutputBaseFilename=sealdesk-{#AppVersion}-setup
SetupIconFile={#RepoDir}\resources\icons\sealdesk.ico
UninstallDisplayIcon={app}\sealdesk-gui.exe
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern

[Languages]
Name: "en"; MessagesFile: "compiler:Default.isl"
; Simplified Chinese is an unofficial Inno Setup translation: used when the
; file has been put into the compiler's Languages folder.
#if FileExists(CompilerPath + "Languages\ChineseSimplified.isl")
Name: "zh"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"
#elif FileExists(CompilerPath + "Languages\Unofficial\ChineseSimplified.isl")
Name: "zh"; MessagesFile: "compiler:Languages\Unofficial\ChineseSimplified.isl"
#endif

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked
Name: "addtopath"; Description: "Add the sealdesk command to PATH"; Flags: unchecked

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\SealDesk"; Filename: "{app}\sealdesk-gui.exe"; Comment: "电子印章桌面端"
Name: "{autodesktop}\SealDesk"; Filename: "{app}\sealdesk-gui.exe"; Tasks: desktopicon

[Registry]
Root: HKLM; Subkey: "SYSTEM\CurrentControlSet\Control\Session Manager\Environment"; \
  ValueType: expandsz; ValueName: "Path"; ValueData: "{olddata};{app}"; \
  Tasks: addtopath; Check: PathLacksApp

[Run]
Filename: "{app}\sealdesk-gui.exe"; Description: "{cm:LaunchProgram,SealDesk}"; Flags: nowait postinstall skipifsilent

[Code]
const
  EnvKey = 'SYSTEM\CurrentControlSet\Control\Session Manager\Environment';

function PathLacksApp(): Boolean;
var
  Current: string;
begin
  if not RegQueryStringValue(HKLM, EnvKey, 'Path', Current) then
    Result := True
  else
    Result := Pos(';' + Uppercase(ExpandConstant('{app}')) + ';',
                  ';' + Uppercase(Current) + ';') = 0;
end;

procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
var
  Current, Entry: string;
  At: Integer;
begin
  if CurUninstallStep <> usPostUninstall then
    Exit;
  if not RegQueryStringValue(HKLM, EnvKey, 'Path', Current) then
    Exit;
  Entry := ';' + ExpandConstant('{app}');
  At := Pos(Uppercase(Entry), Uppercase(Current));
  if At > 0 then
  begin
    Delete(Current, At, Length(Entry));
    RegWriteExpandStringValue(HKLM, EnvKey, 'Path', Current);
  end;
end;
