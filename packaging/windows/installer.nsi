; AI Naukar for Windows: a per-user installer (no administrator rights).
; Built by packaging/dist.sh:
;   makensis -DVERSION=1.2.0 -DAPP_EXE=…\naukar.exe -DAPP_ICON=…\naukar.ico -DOUT_FILE=…\AI-Naukar-Setup-1.2.0.exe installer.nsi
; The books live in %APPDATA%\naukar (the app's own folder), never in the
; install folder: uninstalling removes the program and its shortcuts only.

Unicode true
ManifestDPIAware true
SetCompressor /SOLID lzma

!include "MUI2.nsh"

!ifndef VERSION
  !error "VERSION is required (-DVERSION=1.2.0)"
!endif

!define PRODUCT "AI Naukar"
!define PUBLISHER "AI Naukar"
!define UNINST_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\AINaukar"
!define UNINSTALLER "Uninstall AI Naukar.exe"

Name "${PRODUCT} ${VERSION}"
OutFile "${OUT_FILE}"
InstallDir "$LOCALAPPDATA\Programs\AI Naukar"
InstallDirRegKey HKCU "Software\AI Naukar" "InstallDir"
RequestExecutionLevel user
BrandingText "${PRODUCT} ${VERSION}"

VIProductVersion "${VERSION}.0"
VIAddVersionKey /LANG=1033 "ProductName" "${PRODUCT}"
VIAddVersionKey /LANG=1033 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=1033 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=1033 "FileDescription" "${PRODUCT} installer"
VIAddVersionKey /LANG=1033 "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=1033 "LegalCopyright" "${PUBLISHER}"

!define MUI_ICON "${APP_ICON}"
!define MUI_UNICON "${APP_ICON}"
!define MUI_ABORTWARNING
!define MUI_LANGDLL_ALLLANGUAGES
!define MUI_LANGDLL_REGISTRY_ROOT HKCU
!define MUI_LANGDLL_REGISTRY_KEY "Software\AI Naukar"
!define MUI_LANGDLL_REGISTRY_VALUENAME "InstallerLanguage"

!define MUI_FINISHPAGE_RUN "$INSTDIR\naukar.exe"
!define MUI_FINISHPAGE_RUN_TEXT "$(RunNow)"
!define MUI_UNCONFIRMPAGE_TEXT_TOP "$(BooksKept)"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES

!insertmacro MUI_LANGUAGE "English"
!insertmacro MUI_LANGUAGE "Hindi"

LangString RunNow ${LANG_ENGLISH} "Open AI Naukar now"
LangString RunNow ${LANG_HINDI} "AI Naukar अभी खोलें"
LangString BooksKept ${LANG_ENGLISH} "AI Naukar will be removed from this computer. Your books (bills, stock, parties) and their backups are kept in $APPDATA\naukar; they are not deleted."
LangString BooksKept ${LANG_HINDI} "AI Naukar इस कंप्यूटर से हटाया जाएगा। आपकी बही (बिल, स्टॉक, ग्राहक) और उनके बैकअप $APPDATA\naukar में रखे रहेंगे; वे नहीं मिटेंगे।"
LangString BooksKeptDone ${LANG_ENGLISH} "Your books in $APPDATA\naukar were kept."
LangString BooksKeptDone ${LANG_HINDI} "$APPDATA\naukar में आपकी बही रखी गई है।"
LangString AppRunning ${LANG_ENGLISH} "AI Naukar is open. Close it (save or hold the bill first), then press Retry."
LangString AppRunning ${LANG_HINDI} "AI Naukar खुला है। पहले बिल सेव या होल्ड करके उसे बंद करें, फिर Retry दबाएँ।"

Function .onInit
  SetShellVarContext current
  !insertmacro MUI_LANGDLL_DISPLAY
FunctionEnd

Function un.onInit
  SetShellVarContext current
  !insertmacro MUI_UNGETLANGUAGE
FunctionEnd

Section "AI Naukar" SecApp
  SectionIn RO
  SetShellVarContext current
  SetOutPath "$INSTDIR"
  ; A running naukar.exe cannot be overwritten: ask to close it.
  retry:
  ClearErrors
  File "/oname=naukar.exe" "${APP_EXE}"
  IfErrors 0 +3
    MessageBox MB_RETRYCANCEL|MB_ICONEXCLAMATION "$(AppRunning)" IDRETRY retry
    Abort
  WriteUninstaller "$INSTDIR\${UNINSTALLER}"

  CreateDirectory "$SMPROGRAMS\AI Naukar"
  CreateShortcut "$SMPROGRAMS\AI Naukar\AI Naukar.lnk" "$INSTDIR\naukar.exe" "" "$INSTDIR\naukar.exe" 0
  CreateShortcut "$SMPROGRAMS\AI Naukar\Uninstall AI Naukar.lnk" "$INSTDIR\${UNINSTALLER}"
  CreateShortcut "$DESKTOP\AI Naukar.lnk" "$INSTDIR\naukar.exe" "" "$INSTDIR\naukar.exe" 0

  WriteRegStr HKCU "Software\AI Naukar" "InstallDir" "$INSTDIR"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayName" "${PRODUCT}"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINST_KEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayIcon" "$INSTDIR\naukar.exe"
  WriteRegStr HKCU "${UNINST_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINST_KEY}" "UninstallString" '"$INSTDIR\${UNINSTALLER}"'
  WriteRegDWORD HKCU "${UNINST_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINST_KEY}" "NoRepair" 1
  WriteRegDWORD HKCU "${UNINST_KEY}" "EstimatedSize" ${APP_SIZE_KB}
SectionEnd

; Removes exactly what the installer (and the app's own updates) put in the
; install folder. Never RMDir /r, never $APPDATA\naukar: the books stay.
Section "Uninstall"
  SetShellVarContext current
  Delete "$INSTDIR\naukar.exe"
  Delete "$INSTDIR\naukar.exe.old"
  Delete "$INSTDIR\naukar.exe.new"
  Delete "$INSTDIR\naukar.exe.failed"
  Delete "$INSTDIR\${UNINSTALLER}"
  RMDir "$INSTDIR"
  Delete "$SMPROGRAMS\AI Naukar\AI Naukar.lnk"
  Delete "$SMPROGRAMS\AI Naukar\Uninstall AI Naukar.lnk"
  RMDir "$SMPROGRAMS\AI Naukar"
  Delete "$DESKTOP\AI Naukar.lnk"
  DeleteRegKey HKCU "${UNINST_KEY}"
  DeleteRegKey HKCU "Software\AI Naukar"
  DetailPrint "$(BooksKeptDone)"
SectionEnd
