"""The register addresses and bits our bare-metal boards and drivers write, checked against the chip
vendors' own register maps: the CMSIS-SVD files that the installed pyOCD ships (STM32F429, STM32L4x5,
nRF52840). Each macro is read from the C source through the compiler's preprocessor and evaluated, so a
wrong address, offset or bit position in the C fails here, before a board is ever flashed.
(The STM32H743 and RP2040 have no SVD in pyOCD; their maps are checked only on a board.)"""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest

FIRMWARE = Path(__file__).resolve().parents[2] / "firmware"
pytestmark = pytest.mark.skipif(
    shutil.which("arm-none-eabi-gcc") is None or importlib.util.find_spec("pyocd") is None,
    reason="needs arm-none-eabi-gcc (preprocessor) and pyocd (its SVD files)",
)


class Svd:
    """Peripheral base addresses, register offsets and field masks of one SVD file."""

    def __init__(self, name: str) -> None:
        spec = importlib.util.find_spec("pyocd")
        assert spec is not None and spec.origin is not None
        with zipfile.ZipFile(Path(spec.origin).parent / "debug" / "svd" / "svd_data.zip") as archive:
            root = ET.fromstring(archive.read(name))
        by_name = {p.findtext("name"): p for p in root.iter("peripheral")}
        self.base: dict[str, int] = {}
        self.registers: dict[str, dict[str, tuple[int, dict[str, int]]]] = {}
        for name_, p in by_name.items():
            self.base[name_] = int(p.findtext("baseAddress"), 0)
            source = by_name[p.get("derivedFrom")] if p.get("derivedFrom") else p
            self.registers[name_] = self._registers(source.find("registers"), 0, "")

    def _registers(self, node, offset: int, prefix: str) -> dict[str, tuple[int, dict[str, int]]]:
        found: dict[str, tuple[int, dict[str, int]]] = {}
        if node is None:
            return found
        for child in node:
            if child.tag not in ("register", "cluster"):
                continue
            name = child.findtext("name")
            at = offset + int(child.findtext("addressOffset"), 0)
            count = int(child.findtext("dim") or "1", 0)
            step = int(child.findtext("dimIncrement") or "0", 0)
            for i in range(count):
                label = prefix + (name.replace("[%s]", f"[{i}]") if "[%s]" in name else name)
                if child.tag == "cluster":
                    found.update(self._registers(child, at + i * step, label + "."))
                else:
                    fields = {f.findtext("name"): ((1 << int(f.findtext("bitWidth"), 0)) - 1)
                              << int(f.findtext("bitOffset"), 0)
                              for f in child.iter("field") if f.findtext("bitOffset") is not None}
                    found[label] = (at + i * step, fields)
        return found

    def address(self, path: str) -> int:
        periph, reg = path.split(".", 1)
        return self.base[periph] + self.registers[periph][reg][0]

    def offset(self, path: str) -> int:
        periph, reg = path.split(".", 1)
        return self.registers[periph][reg][0]

    def field(self, path: str) -> int:
        periph, rest = path.split(".", 1)
        reg, field = rest.rsplit(".", 1)
        fields = self.registers[periph][reg][1]
        if field in fields:
            return fields[field]
        # Some files split a multi-bit field into one field per bit (PLLN0 .. PLLN8): their union.
        return sum(mask for name, mask in fields.items() if re.fullmatch(rf"{field}\d+", name))


class Macros:
    """The integer macros of a C file after preprocessing, evaluated as the compiler would."""

    def __init__(self, source: Path, *defines: str) -> None:
        args = ["arm-none-eabi-gcc", "-E", "-dM", f"-I{FIRMWARE / 'runtime'}", f"-I{FIRMWARE / 'drivers'}",
                f"-I{FIRMWARE / 'boards' / 'cortex-m'}", f"-I{source.parent}", *defines, str(source)]
        out = subprocess.run(args, capture_output=True, text=True, check=True).stdout
        self.objects: dict[str, str] = {}
        self.functions: dict[str, tuple[str, str]] = {}
        for line in out.splitlines():
            match = re.match(r"#define (\w+)(\(([\w, ]*)\))? (.*)", line)
            if match and match.group(2):
                self.functions[match.group(1)] = (match.group(3), match.group(4))
            elif match:
                self.objects[match.group(1)] = match.group(4)

    @staticmethod
    def _python(c: str) -> str:
        return re.sub(r"\b(0[xX][0-9A-Fa-f]+|\d+)[uUlL]+\b", r"\1", c)

    def value(self, expression: str) -> int:
        # A register macro's REG(address) is its address; a cast to an integer type keeps the value.
        env: dict[str, object] = {"REG": lambda address: address, "uint32_t": int, "uintptr_t": int}
        return int(self._evaluate(expression, env))

    def _evaluate(self, expression: str, env: dict[str, object]) -> object:
        """Evaluate in Python, defining each macro the first time a name is missing."""
        while True:
            try:
                return eval(self._python(expression), env)  # noqa: S307 - our own macros
            except NameError as exc:
                if exc.name in self.functions:
                    params, body = self.functions[exc.name]
                    env[exc.name] = eval(f"lambda {params}: {self._python(body)}", env)  # noqa: S307
                elif exc.name in self.objects:
                    env[exc.name] = self._evaluate(self.objects[exc.name], env)
                else:
                    raise


def _check(svd: Svd, macros: Macros, table: list[tuple[str, str, str]]) -> None:
    wrong = []
    for expression, kind, path in table:
        value = macros.value(expression)
        if kind == "addr":
            expected = svd.address(path)
            ok = value == expected
        elif kind == "base":
            expected = svd.base[path]
            ok = value == expected
        elif kind == "offset":
            expected = svd.offset(path)
            ok = value == expected
        else:  # bits: a non-empty value inside the field
            expected = svd.field(path)
            ok = value != 0 and value & ~expected == 0
        if not ok:
            wrong.append(f"{expression} = 0x{value:X}, {path} is 0x{expected:X}")
    assert not wrong, "; ".join(wrong)


def test_nucleo_f429zi_and_the_stm32f4_usart_match_the_stm32f429_map():
    svd = Svd("STM32F429x.svd")
    board = Macros(FIRMWARE / "boards" / "nucleo-f429zi" / "board.c", "-DTSR_CLOCK_HZ=180000000")
    _check(svd, board, [
        ("RCC_CR", "addr", "RCC.CR"), ("RCC_PLLCFGR", "addr", "RCC.PLLCFGR"), ("RCC_CFGR", "addr", "RCC.CFGR"),
        ("RCC_AHB1ENR", "addr", "RCC.AHB1ENR"), ("RCC_APB1ENR", "addr", "RCC.APB1ENR"),
        ("CR_HSEON", "bits", "RCC.CR.HSEON"), ("CR_HSERDY", "bits", "RCC.CR.HSERDY"),
        ("CR_HSEBYP", "bits", "RCC.CR.HSEBYP"), ("CR_PLLON", "bits", "RCC.CR.PLLON"),
        ("CR_PLLRDY", "bits", "RCC.CR.PLLRDY"), ("AHB1ENR_GPIOD", "bits", "RCC.AHB1ENR.GPIODEN"),
        ("APB1ENR_USART3", "bits", "RCC.APB1ENR.USART3EN"), ("APB1ENR_PWR", "bits", "RCC.APB1ENR.PWREN"),
        ("PLL_N << 6", "bits", "RCC.PLLCFGR.PLLN"),
        ("PLLCFGR_SRC_HSE", "bits", "RCC.PLLCFGR.PLLSRC"), ("PLL_Q << 24", "bits", "RCC.PLLCFGR.PLLQ"),
        ("CFGR_PPRE1_DIV4", "bits", "RCC.CFGR.PPRE1"), ("CFGR_PPRE2_DIV2", "bits", "RCC.CFGR.PPRE2"),
        ("CFGR_SW_PLL", "bits", "RCC.CFGR.SW"), ("CFGR_SWS_PLL", "bits", "RCC.CFGR.SWS"),
        ("PWR_CR", "addr", "PWR.CR"), ("PWR_CSR", "addr", "PWR.CSR"), ("PWR_CR_VOS_SCALE1", "bits", "PWR.CR.VOS"),
        ("PWR_CR_ODEN", "bits", "PWR.CR.ODEN"), ("PWR_CR_ODSWEN", "bits", "PWR.CR.ODSWEN"),
        ("PWR_CSR_ODRDY", "bits", "PWR.CSR.ODRDY"), ("PWR_CSR_ODSWRDY", "bits", "PWR.CSR.ODSWRDY"),
        ("FLASH_ACR", "addr", "FLASH.ACR"), ("ACR_LATENCY_5WS", "bits", "FLASH.ACR.LATENCY"),
        ("ACR_PRFTEN", "bits", "FLASH.ACR.PRFTEN"), ("ACR_ICEN", "bits", "FLASH.ACR.ICEN"),
        ("ACR_DCEN", "bits", "FLASH.ACR.DCEN"),
        ("GPIO_MODER", "addr", "GPIOD.MODER"), ("GPIO_OSPEEDR", "addr", "GPIOD.OSPEEDR"),
        ("GPIO_AFRH", "addr", "GPIOD.AFRH"), ("UART", "base", "USART3"),
    ])
    driver = Macros(FIRMWARE / "drivers" / "tsr_uart_stm32f4.c")
    _check(svd, driver, [
        ("SR", "offset", "USART3.SR"), ("DR", "offset", "USART3.DR"), ("BRR", "offset", "USART3.BRR"),
        ("CR1", "offset", "USART3.CR1"), ("CR2", "offset", "USART3.CR2"), ("CR3", "offset", "USART3.CR3"),
        ("SR_ORE", "bits", "USART3.SR.ORE"), ("SR_RXNE", "bits", "USART3.SR.RXNE"), ("SR_TC", "bits", "USART3.SR.TC"),
        ("SR_TXE", "bits", "USART3.SR.TXE"), ("CR1_RE", "bits", "USART3.CR1.RE"), ("CR1_TE", "bits", "USART3.CR1.TE"),
        ("CR1_UE", "bits", "USART3.CR1.UE"),
        ("TSR_STM32F4_USART1", "base", "USART1"), ("TSR_STM32F4_USART2", "base", "USART2"),
        ("TSR_STM32F4_USART6", "base", "USART6"),
    ])


def test_b_l475e_iot01a_its_usart_i2c_and_imu_pins_match_the_stm32l4x5_map():
    svd = Svd("STM32L4x5.svd")
    board = Macros(FIRMWARE / "boards" / "b-l475e-iot01a" / "board.c", "-DTSR_CLOCK_HZ=80000000")
    _check(svd, board, [
        ("RCC_CR", "addr", "RCC.CR"), ("RCC_CFGR", "addr", "RCC.CFGR"), ("RCC_PLLCFGR", "addr", "RCC.PLLCFGR"),
        ("RCC_AHB2ENR", "addr", "RCC.AHB2ENR"), ("RCC_APB1ENR1", "addr", "RCC.APB1ENR1"),
        ("RCC_APB2ENR", "addr", "RCC.APB2ENR"), ("CR_MSIRDY", "bits", "RCC.CR.MSIRDY"),
        ("CR_PLLON", "bits", "RCC.CR.PLLON"), ("CR_PLLRDY", "bits", "RCC.CR.PLLRDY"),
        ("AHB2ENR_GPIOB", "bits", "RCC.AHB2ENR.GPIOBEN"), ("APB1ENR1_I2C2", "bits", "RCC.APB1ENR1.I2C2EN"),
        ("APB2ENR_USART1", "bits", "RCC.APB2ENR.USART1EN"), ("PLLCFGR_SRC_MSI", "bits", "RCC.PLLCFGR.PLLSRC"),
        ("PLL_N", "bits", "RCC.PLLCFGR.PLLN"), ("PLLCFGR_REN", "bits", "RCC.PLLCFGR.PLLREN"),
        ("CFGR_SW_PLL", "bits", "RCC.CFGR.SW"), ("CFGR_SWS_PLL", "bits", "RCC.CFGR.SWS"),
        ("FLASH_ACR", "addr", "FLASH.ACR"), ("ACR_LATENCY_4WS", "bits", "FLASH.ACR.LATENCY"),
        ("ACR_PRFTEN", "bits", "FLASH.ACR.PRFTEN"), ("ACR_ICEN", "bits", "FLASH.ACR.ICEN"),
        ("ACR_DCEN", "bits", "FLASH.ACR.DCEN"),
        ("GPIOB_MODER", "addr", "GPIOB.MODER"), ("GPIOB_OSPEEDR", "addr", "GPIOB.OSPEEDR"),
        ("GPIOB_AFRL", "addr", "GPIOB.AFRL"), ("UART", "base", "USART1"),
    ])
    imu = Macros(FIRMWARE / "boards" / "b-l475e-iot01a" / "lsm6dsl.c", "-DTSR_CLOCK_HZ=80000000")
    _check(svd, imu, [
        ("GPIOB_MODER", "addr", "GPIOB.MODER"), ("GPIOB_OTYPER", "addr", "GPIOB.OTYPER"),
        ("GPIOB_OSPEEDR", "addr", "GPIOB.OSPEEDR"), ("GPIOB_PUPDR", "addr", "GPIOB.PUPDR"),
        ("GPIOB_AFRH", "addr", "GPIOB.AFRH"), ("I2C", "base", "I2C2"),
    ])
    uart = Macros(FIRMWARE / "drivers" / "tsr_uart_stm32_v2.c")
    _check(svd, uart, [
        ("CR1", "offset", "USART1.CR1"), ("CR2", "offset", "USART1.CR2"), ("CR3", "offset", "USART1.CR3"),
        ("BRR", "offset", "USART1.BRR"), ("ISR", "offset", "USART1.ISR"), ("ICR", "offset", "USART1.ICR"),
        ("RDR", "offset", "USART1.RDR"), ("TDR", "offset", "USART1.TDR"), ("CR1_UE", "bits", "USART1.CR1.UE"),
        ("CR1_RE", "bits", "USART1.CR1.RE"), ("CR1_TE", "bits", "USART1.CR1.TE"),
        ("ISR_ORE", "bits", "USART1.ISR.ORE"), ("ISR_RXNE", "bits", "USART1.ISR.RXNE"),
        ("ISR_TXE", "bits", "USART1.ISR.TXE"), ("ICR_ORECF", "bits", "USART1.ICR.ORECF"),
    ])
    i2c = Macros(FIRMWARE / "drivers" / "tsr_i2c_stm32_v2.c")
    _check(svd, i2c, [
        ("CR1", "offset", "I2C2.CR1"), ("CR2", "offset", "I2C2.CR2"), ("TIMINGR", "offset", "I2C2.TIMINGR"),
        ("ISR", "offset", "I2C2.ISR"), ("ICR", "offset", "I2C2.ICR"), ("RXDR", "offset", "I2C2.RXDR"),
        ("TXDR", "offset", "I2C2.TXDR"), ("CR1_PE", "bits", "I2C2.CR1.PE"),
        ("CR2_RD_WRN", "bits", "I2C2.CR2.RD_WRN"), ("CR2_START", "bits", "I2C2.CR2.START"),
        ("CR2_STOP", "bits", "I2C2.CR2.STOP"), ("CR2_AUTOEND", "bits", "I2C2.CR2.AUTOEND"),
        ("CR2_NBYTES(255)", "bits", "I2C2.CR2.NBYTES"), ("ISR_TXIS", "bits", "I2C2.ISR.TXIS"),
        ("ISR_RXNE", "bits", "I2C2.ISR.RXNE"), ("ISR_NACKF", "bits", "I2C2.ISR.NACKF"),
        ("ISR_STOPF", "bits", "I2C2.ISR.STOPF"), ("ISR_TC", "bits", "I2C2.ISR.TC"),
    ])


def test_nrf52840dk_and_the_nordic_uart_match_the_nrf52840_map():
    svd = Svd("nrf52840.svd")
    board = Macros(FIRMWARE / "boards" / "nrf52840dk" / "board.c", "-DTSR_CLOCK_HZ=64000000")
    _check(svd, board, [
        ("CLOCK_TASKS_HFCLKSTART", "addr", "CLOCK.TASKS_HFCLKSTART"),
        ("CLOCK_EVENTS_HFCLKSTARTED", "addr", "CLOCK.EVENTS_HFCLKSTARTED"),
        ("P0_OUTSET", "addr", "P0.OUTSET"), ("P0_PIN_CNF(6)", "addr", "P0.PIN_CNF[6]"),
        ("P0_PIN_CNF(8)", "addr", "P0.PIN_CNF[8]"),
    ])
    driver = Macros(FIRMWARE / "drivers" / "tsr_uart_nrf.c")
    _check(svd, driver, [
        ("TASKS_STARTRX", "offset", "UART0.TASKS_STARTRX"), ("TASKS_STARTTX", "offset", "UART0.TASKS_STARTTX"),
        ("EVENTS_RXDRDY", "offset", "UART0.EVENTS_RXDRDY"), ("EVENTS_TXDRDY", "offset", "UART0.EVENTS_TXDRDY"),
        ("ENABLE", "offset", "UART0.ENABLE"), ("PSELRTS", "offset", "UART0.PSEL.RTS"),
        ("PSELTXD", "offset", "UART0.PSEL.TXD"), ("PSELCTS", "offset", "UART0.PSEL.CTS"),
        ("PSELRXD", "offset", "UART0.PSEL.RXD"), ("RXD", "offset", "UART0.RXD"), ("TXD", "offset", "UART0.TXD"),
        ("BAUDRATE", "offset", "UART0.BAUDRATE"), ("CONFIG", "offset", "UART0.CONFIG"),
        ("TSR_NRF_UART0", "base", "UART0"),
    ])
